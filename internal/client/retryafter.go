package client

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// ParseRetryAfter reads an HTTP Retry-After header value (RFC 9110, section
// 10.2.3): either a number of seconds or an HTTP date. It returns the wait
// from now and true, or false when the header is empty. A date in the past
// gives a wait of zero. A number of seconds too large for a time.Duration
// gives the largest Duration, so that the caller treats it as too long.
func ParseRetryAfter(value string, now time.Time) (time.Duration, bool, error) {
	value = strings.TrimSpace(value)
	if value == "" {
		return 0, false, nil
	}
	if isDigits(value) {
		seconds, err := strconv.ParseUint(value, 10, 64)
		if err != nil || seconds > uint64(math.MaxInt64/int64(time.Second)) {
			// The value has only digits, so ParseUint fails only on a number
			// too large for uint64: a valid but very long wait.
			return time.Duration(math.MaxInt64), true, nil //nolint:nilerr // see above
		}
		return time.Duration(seconds) * time.Second, true, nil
	}
	date, err := http.ParseTime(value)
	if err != nil {
		return 0, false, fmt.Errorf("Retry-After %q is neither a number of seconds nor an "+
			"HTTP date", truncate(value, 64))
	}
	wait := date.Sub(now)
	if wait < 0 {
		wait = 0
	}
	return wait, true, nil
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
