package roles

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// STS limits on DurationSeconds.
const (
	stsMinSeconds      = 900
	stsMaxSeconds      = 43200
	chainingMaxSeconds = 3600
	defaultSeconds     = 3600
)

const durationForms = `use whole seconds (3600) or hours, minutes and seconds (12h, 90m, 1h30m, 1h 30m, 3600s)`

// maxParseSeconds keeps every parsed value far from time.Duration overflow;
// no STS session is longer than 12h anyway, so a bigger value is a typo.
const maxParseSeconds = 1_000_000 * 3600

// ParseDuration reads a session duration typed by a user: whole seconds
// ("3600"), or a sequence of whole numbers each followed by h, m or s
// ("12h", "90m", "3600s", "1h30m"), with optional spaces between the parts
// ("1h 30m") and units in either case. Fractions, negative values, a unit
// given twice and a bare number after a unit ("1h30") are refused, so a
// parsed value always formats back exactly.
func ParseDuration(s string) (time.Duration, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return 0, fmt.Errorf("duration is empty: %s", durationForms)
	}
	if strings.HasPrefix(t, "-") {
		return 0, fmt.Errorf("duration %q is negative: %s", s, durationForms)
	}
	if n, ok := digits(t); ok {
		if n < 0 || n > maxParseSeconds {
			return 0, fmt.Errorf("duration %q is too long: %s", s, durationForms)
		}
		return time.Duration(n) * time.Second, nil
	}
	var total int64
	seen := map[byte]bool{}
	for i := 0; i < len(t); {
		for i < len(t) && t[i] == ' ' {
			i++
		}
		j := i
		for j < len(t) && t[j] >= '0' && t[j] <= '9' {
			j++
		}
		if j == i || j == len(t) {
			return 0, fmt.Errorf("duration %q is not valid: %s", s, durationForms)
		}
		n, ok := digits(t[i:j])
		unit := t[j] | 0x20 // lower case
		var mult int64
		switch unit {
		case 'h':
			mult = 3600
		case 'm':
			mult = 60
		case 's':
			mult = 1
		default:
			return 0, fmt.Errorf("duration %q has unit %q: %s", s, t[j:j+1], durationForms)
		}
		if seen[unit] {
			return 0, fmt.Errorf("duration %q gives %q twice: %s", s, string(unit), durationForms)
		}
		seen[unit] = true
		if !ok || n < 0 || n > maxParseSeconds/mult || total+n*mult > maxParseSeconds {
			return 0, fmt.Errorf("duration %q is too long: %s", s, durationForms)
		}
		total += n * mult
		i = j + 1
	}
	return time.Duration(total) * time.Second, nil
}

// digits parses a run of ASCII digits; ok is false for anything else, and n
// is -1 when the digits overflow.
func digits(s string) (n int64, ok bool) {
	if s == "" || !allDigits(s) {
		return 0, false
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return -1, true
	}
	return v, true
}

// FormatDuration writes d the way ParseDuration reads it and a person says it:
// "2h", "1h30m", "15m", "45s", "1h5s" (zero parts are left out). Fractions of
// a second are dropped; zero is "0s".
func FormatDuration(d time.Duration) string {
	if d < 0 {
		if d == math.MinInt64 {
			d++ // -MinInt64 overflows; a nanosecond is below what is shown
		}
		return "-" + FormatDuration(-d)
	}
	secs := int64(d / time.Second)
	if secs == 0 {
		return "0s"
	}
	var b strings.Builder
	if h := secs / 3600; h > 0 {
		b.WriteString(strconv.FormatInt(h, 10) + "h")
	}
	if m := secs % 3600 / 60; m > 0 {
		b.WriteString(strconv.FormatInt(m, 10) + "m")
	}
	if s := secs % 60; s > 0 {
		b.WriteString(strconv.FormatInt(s, 10) + "s")
	}
	return b.String()
}

func seconds(n int) time.Duration { return time.Duration(n) * time.Second }

// applies reports whether any bound is set; a plan without hops has none,
// since its credentials come from the source and no duration is chosen.
func (b Bounds) applies() bool { return len(b.All) > 0 }

// Check returns nil when Min <= d <= Max, and otherwise a *BoundError naming
// the bound that refuses d and why it applies. Zero Bounds (a plan without
// hops) accept every duration: there is nothing to choose.
func (b Bounds) Check(d time.Duration) error {
	if !b.applies() {
		return nil
	}
	if d < seconds(b.Min.Seconds) {
		return &BoundError{Asked: d, Bound: b.Min, Below: true}
	}
	if d > seconds(b.Max.Seconds) {
		return &BoundError{Asked: d, Bound: b.Max}
	}
	return nil
}

// Clip returns d moved into [Min, Max]; zero Bounds return d unchanged.
func (b Bounds) Clip(d time.Duration) time.Duration {
	if !b.applies() {
		return d
	}
	return min(max(d, seconds(b.Min.Seconds)), seconds(b.Max.Seconds))
}

// BoundError says that a chosen duration is outside the bounds and which
// bound refused it, so the duration step can show the reason on screen.
type BoundError struct {
	Asked time.Duration
	Bound Bound
	// Below is true when Asked is under Bound (the STS minimum).
	Below bool
}

// Error reads like "2h is more than 1h: role chaining (dev -> DevAdmin ->
// Prod) is capped at 1h by STS" or "10m is less than 15m, the STS minimum
// (900 s)".
func (e *BoundError) Error() string {
	limit := FormatDuration(seconds(e.Bound.Seconds))
	if e.Below {
		return fmt.Sprintf("%s is less than %s, %s", FormatDuration(e.Asked), limit, e.Bound.Reason)
	}
	return fmt.Sprintf("%s is more than %s: %s", FormatDuration(e.Asked), limit, e.Bound.Reason)
}
