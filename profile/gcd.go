package profile

// GCD is the greatest common divisor of a and b (GCD(0, b) is b): the
// common unit of sample values or counts, which sampling periods and
// fixed-size blocks leave behind.
func GCD(a, b int64) int64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}
