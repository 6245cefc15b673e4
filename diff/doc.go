// Package diff compares two profiles of the same program, before and after
// a change, and says what moved and whether the move is more than sampling
// noise. It imports profile and explain and never prints.
//
// The steps of Compare:
//  1. each side's files are merged into one profile (Merge), after checking
//     that they measure the same quantity (units.go);
//  2. the normalisation is chosen: shares of each side's total by default,
//     raw values or time with Options.Absolute, refused with a reason when
//     the two sides cannot be put on one scale (units.go);
//  3. every sample's leaf frame is keyed by a normalised name (names.go), so
//     the same code matches across builds and recorders, and self and total
//     values are summed per key, once per distinct stack (functions.go);
//  4. explain runs on each side; its categories and findings are compared,
//     on the leaf frames alone when the sides' stacks are broken to very
//     different degrees (capture.go);
//  5. every delta gets a 95% interval and a Holm-corrected significance
//     test for the difference of two binomial proportions (noise.go);
//  6. the regression gate (Options.Gate) is evaluated on what is significant.
package diff
