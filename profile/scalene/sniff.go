package scalene

import "bytes"

// Sniff reports whether head is a scalene JSON profile: a JSON object
// holding scalene's own top-level keys "elapsed_time_sec" and one of
// "alloc_samples" or "max_footprint_mb" within the head.
func Sniff(head []byte) bool {
	t := bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF")), " \t\r\n")
	return len(t) > 0 && t[0] == '{' && bytes.Contains(head, []byte(`"elapsed_time_sec"`)) &&
		(bytes.Contains(head, []byte(`"alloc_samples"`)) || bytes.Contains(head, []byte(`"max_footprint_mb"`)))
}
