// Package flamesvg reads flame graph SVGs written by flamegraph.pl and by
// inferno (py-spy's default output, cargo-flamegraph) back into stacks.
//
// An SVG is a drawing of folded stacks, so Read recovers them from it:
//
//  1. scan.go streams the document tag by tag (never into a DOM: the
//     inline JavaScript alone is tens of kilobytes) and keeps each frame's
//     <title> (name and count) and <rect> geometry: y gives the level,
//     x and width (or inferno's exact fg:x/fg:w) the extent;
//  2. tree.go finds the root ("all"), the level step and each frame's
//     parent (the frame one level nearer the root whose extent holds it);
//     a frame's self count is its count minus its children's;
//  3. read.go writes the stacks as folded text and reads that with the
//     folded importer, so frames mean what they meant in the folded input
//     the graph was drawn from.
//
// An SVG drawn from austin output is read back as austin (lines stay
// lines). The writers drop frames narrower than a minimum width, so a parent's
// unexplained count is taken as its own: the profile says so in
// Meta.Approximations and Meta.Warnings.
package flamesvg
