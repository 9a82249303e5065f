package client_test

import (
	"math"
	"math/big"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tooljet/terraform-provider-tooljet/internal/client"
)

// retryAfterNow is the fixed "now" of the ParseRetryAfter tests.
var retryAfterNow = time.Date(2026, time.March, 14, 15, 9, 26, 0, time.UTC)

const maxDuration = time.Duration(math.MaxInt64)

func TestParseRetryAfter(t *testing.T) {
	tests := []struct {
		name     string
		value    string
		wait     time.Duration
		hasWait  bool
		errorHas string // part of the error, or "" for no error
	}{
		{name: "empty", value: ""},
		{name: "blank", value: " \t "},
		{name: "zero", value: "0", hasWait: true},
		{name: "one second", value: "1", wait: time.Second, hasWait: true},
		{name: "minutes", value: "120", wait: 2 * time.Minute, hasWait: true},
		{name: "surrounding spaces", value: " 5 ", wait: 5 * time.Second, hasWait: true},
		{name: "leading zeros", value: "007", wait: 7 * time.Second, hasWait: true},
		{name: "largest whole seconds", value: "9223372036",
			wait: 9223372036 * time.Second, hasWait: true},
		{name: "one above the largest", value: "9223372037", wait: maxDuration, hasWait: true},
		{name: "huge", value: "99999999999999999999999999", wait: maxDuration, hasWait: true},
		{name: "date in the future",
			value: retryAfterNow.Add(90 * time.Second).Format(http.TimeFormat),
			wait:  90 * time.Second, hasWait: true},
		{name: "date in the past",
			value:   retryAfterNow.Add(-time.Hour).Format(http.TimeFormat),
			hasWait: true},
		{name: "date now", value: retryAfterNow.Format(http.TimeFormat), hasWait: true},
		{name: "RFC 850 date", value: "Saturday, 14-Mar-26 15:10:26 GMT",
			wait: time.Minute, hasWait: true},
		{name: "asctime date", value: "Sat Mar 14 15:11:26 2026",
			wait: 2 * time.Minute, hasWait: true},
		{name: "word", value: "soon", errorHas: `Retry-After "soon" is neither`},
		{name: "negative", value: "-1", errorHas: "neither a number of seconds nor an HTTP date"},
		{name: "fraction", value: "1.5", errorHas: "neither a number of seconds nor an HTTP date"},
		{name: "plus sign", value: "+5", errorHas: "neither a number of seconds nor an HTTP date"},
		{name: "unit", value: "5s", errorHas: "neither a number of seconds nor an HTTP date"},
		{name: "ISO date", value: "2026-03-14T15:10:26Z",
			errorHas: "neither a number of seconds nor an HTTP date"},
		{name: "long garbage", value: strings.Repeat("x", 200), errorHas: `xxx..."`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wait, hasWait, err := client.ParseRetryAfter(tt.value, retryAfterNow)

			if tt.errorHas == "" && err != nil {
				t.Fatalf("ParseRetryAfter(%q) error: %v", tt.value, err)
			}
			if tt.errorHas != "" && (err == nil || !strings.Contains(err.Error(), tt.errorHas)) {
				t.Fatalf("ParseRetryAfter(%q) error = %v, want one containing %q", tt.value, err,
					tt.errorHas)
			}
			if wait != tt.wait {
				t.Errorf("wait = %s, want %s", wait, tt.wait)
			}
			if hasWait != tt.hasWait {
				t.Errorf("hasWait = %t, want %t", hasWait, tt.hasWait)
			}
		})
	}
}

func TestParseRetryAfter_truncatesValue(t *testing.T) {
	_, _, err := client.ParseRetryAfter(strings.Repeat("y", 1000), retryAfterNow)
	if err == nil {
		t.Fatal("ParseRetryAfter accepted 1000 letters")
	}
	if len(err.Error()) > 200 {
		t.Errorf("the error has %d bytes, want the value truncated", len(err.Error()))
	}
}

// FuzzParseRetryAfter checks that ParseRetryAfter never panics, never
// returns a negative wait, and reads a value of ASCII digits as exactly that
// many seconds, or as the largest Duration when the seconds do not fit.
// Its seed corpus is in testdata/fuzz/FuzzParseRetryAfter.
func FuzzParseRetryAfter(f *testing.F) {
	f.Fuzz(func(t *testing.T, value string) {
		wait, hasWait, err := client.ParseRetryAfter(value, retryAfterNow)

		if wait < 0 {
			t.Fatalf("ParseRetryAfter(%q) wait = %s, want >= 0", value, wait)
		}
		if err != nil && (hasWait || wait != 0) {
			t.Fatalf("ParseRetryAfter(%q) returned a wait of %s (hasWait %t) with error %v",
				value, wait, hasWait, err)
		}
		trimmed := strings.TrimSpace(value)
		if !isASCIIDigits(trimmed) {
			return
		}
		if err != nil || !hasWait {
			t.Fatalf("ParseRetryAfter(%q) = (%s, %t, %v), want a wait", value, wait, hasWait, err)
		}
		if want := secondsOrMax(trimmed); wait != want {
			t.Fatalf("ParseRetryAfter(%q) wait = %s, want %s", value, wait, want)
		}
	})
}

func isASCIIDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// secondsOrMax computes the expected wait for a string of digits with
// arbitrary precision, independent of the parser under test.
func secondsOrMax(digits string) time.Duration {
	seconds, ok := new(big.Int).SetString(digits, 10)
	if !ok {
		panic("secondsOrMax: not a number: " + digits)
	}
	nanos := new(big.Int).Mul(seconds, big.NewInt(int64(time.Second)))
	if !nanos.IsInt64() {
		return maxDuration
	}
	return time.Duration(nanos.Int64())
}
