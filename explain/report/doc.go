// Package report lays out an explain.Report, and the hint catalogue, as
// terminal text, Markdown for an incident ticket, or JSON (the contract).
//
// The engine in package explain computes everything about the profile:
// sorting, trimming, shares and sentences. Renderers only format what they are
// given: shares as percentages, values with their units, and strings that came
// from a profile escaped for the medium (no terminal escape sequence from a
// symbol name ever reaches the terminal; Markdown and HTML metacharacters are
// neutralised). The same report always renders to the same bytes.
//
// Terminal tables are laid out by table.go to fit the width the caller
// passes (no table library: shortening names so that they stay distinct is
// the part that matters, and no library does it).
package report
