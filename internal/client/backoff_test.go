package client

import (
	"testing"
	"time"
)

// TestBackoffDelay_jitter checks the documented bounds of backoffDelay: for
// attempt n the delay is MinRetryWait * 2^(n-1), capped at MaxRetryWait,
// and each wait lies between half that delay and the delay. The waits must
// vary, so that clients that failed together do not retry together.
func TestBackoffDelay_jitter(t *testing.T) {
	const samples = 100
	c, err := New(Config{Host: "http://127.0.0.1:1", Email: "dev@tooljet.io",
		Password: "password", MinRetryWait: 100 * time.Millisecond, MaxRetryWait: time.Second})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	tests := []struct {
		attempt int
		delay   time.Duration
	}{
		{1, 100 * time.Millisecond},
		{2, 200 * time.Millisecond},
		{4, 800 * time.Millisecond},
		{5, time.Second}, // 1.6s capped at MaxRetryWait
		{30, time.Second},
	}
	for _, tt := range tests {
		distinct := map[time.Duration]bool{}
		for range samples {
			wait := c.backoffDelay(tt.attempt)
			if wait < tt.delay/2 || wait > tt.delay {
				t.Errorf("attempt %d: wait %s outside [%s, %s]", tt.attempt, wait, tt.delay/2,
					tt.delay)
			}
			distinct[wait] = true
		}
		if len(distinct) < 2 {
			t.Errorf("attempt %d: %d samples gave %d distinct waits, want jitter", tt.attempt,
				samples, len(distinct))
		}
	}
}
