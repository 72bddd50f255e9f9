package roles

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParseDuration(t *testing.T) {
	good := []struct {
		in   string
		want time.Duration
	}{
		{"3600", time.Hour},
		{"900", 15 * time.Minute},
		{"0", 0},
		{"  7200 ", 2 * time.Hour},
		{"3600s", time.Hour},
		{"90m", 90 * time.Minute},
		{"12h", 12 * time.Hour},
		{"1h30m", 90 * time.Minute},
		{"1h 30m", 90 * time.Minute},
		{"1H30M", 90 * time.Minute},
		{"1h30m15s", time.Hour + 30*time.Minute + 15*time.Second},
		{"30m1h", 90 * time.Minute},
		{"00015m", 15 * time.Minute},
		{"1000000h", 1000000 * time.Hour},
	}
	for _, tt := range good {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseDuration(tt.in)
			if err != nil || got != tt.want {
				t.Errorf("ParseDuration(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			}
		})
	}
	const forms = `use whole seconds (3600) or hours, minutes and seconds (12h, 90m, 1h30m, 1h 30m, 3600s)`
	bad := []struct{ in, want string }{
		{"", `duration is empty: ` + forms},
		{"   ", `duration is empty: ` + forms},
		{"-5m", `duration "-5m" is negative: ` + forms},
		{"-3600", `duration "-3600" is negative: ` + forms},
		{"+3600", `duration "+3600" is not valid: ` + forms},
		{"1.5h", `duration "1.5h" has unit ".": ` + forms},
		{"1h30", `duration "1h30" is not valid: ` + forms},
		{"h", `duration "h" is not valid: ` + forms},
		{"2d", `duration "2d" has unit "d": ` + forms},
		{"1 h", `duration "1 h" has unit " ": ` + forms},
		{"1h1h", `duration "1h1h" gives "h" twice: ` + forms},
		{"1ms", `duration "1ms" is not valid: ` + forms},
		{"one hour", `duration "one hour" is not valid: ` + forms},
		{"99999999999999999999", `duration "99999999999999999999" is too long: ` + forms},
		{"99999999999999999999h", `duration "99999999999999999999h" is too long: ` + forms},
		{"1000001h", `duration "1000001h" is too long: ` + forms},
		{"1000000h1s", `duration "1000000h1s" is too long: ` + forms},
		{"3600000001", `duration "3600000001" is too long: ` + forms},
		{"１h", `duration "１h" is not valid: ` + forms},
	}
	for _, tt := range bad {
		t.Run("bad/"+tt.in, func(t *testing.T) {
			got, err := ParseDuration(tt.in)
			if err == nil {
				t.Fatalf("ParseDuration(%q) = %v, want error", tt.in, got)
			}
			if err.Error() != tt.want {
				t.Errorf("ParseDuration(%q) error\n got: %s\nwant: %s", tt.in, err, tt.want)
			}
		})
	}
}

func TestFormatDuration(t *testing.T) {
	for _, tt := range []struct {
		in   time.Duration
		want string
	}{
		{0, "0s"},
		{15 * time.Minute, "15m"},
		{time.Hour, "1h"},
		{2 * time.Hour, "2h"},
		{90 * time.Minute, "1h30m"},
		{45 * time.Second, "45s"},
		{time.Hour + 5*time.Second, "1h5s"},
		{12*time.Hour + 59*time.Minute + 59*time.Second + 999*time.Millisecond, "12h59m59s"},
		{500 * time.Millisecond, "0s"},
		{-90 * time.Minute, "-1h30m"},
		{time.Duration(-1 << 63), "-2562047h47m16s"},
	} {
		if got := FormatDuration(tt.in); got != tt.want {
			t.Errorf("FormatDuration(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"3600", "1h30m", "1h 30m", "90m", "12h", "", "-1", "1.5h", "99999999999999999999", "1H2M3S", "0s"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDuration(s)
		if err != nil {
			if !strings.Contains(err.Error(), "use whole seconds") {
				t.Errorf("error for %q does not say the accepted forms: %v", s, err)
			}
			return
		}
		if d < 0 || d%time.Second != 0 {
			t.Fatalf("ParseDuration(%q) = %v, want whole non-negative seconds", s, d)
		}
		text := FormatDuration(d)
		again, err := ParseDuration(text)
		if err != nil || again != d {
			t.Fatalf("ParseDuration(%q) = %v, formats as %q, which parses as %v, %v", s, d, text, again, err)
		}
	})
}

func testBounds() Bounds {
	chain := Bound{Kind: BoundChaining, Seconds: 3600, Reason: "role chaining (dev -> DevAdmin -> Prod) is capped at 1h by STS"}
	return Bounds{Min: floor, Max: chain, All: []Bound{floor, ceiling, chain}}
}

func TestBoundsCheck(t *testing.T) {
	b := testBounds()
	for _, tt := range []struct {
		d    time.Duration
		want string
	}{
		{15 * time.Minute, ""},
		{time.Hour, ""},
		{30 * time.Minute, ""},
		{2 * time.Hour, "2h is more than 1h: role chaining (dev -> DevAdmin -> Prod) is capped at 1h by STS"},
		{time.Hour + time.Second, "1h1s is more than 1h: role chaining (dev -> DevAdmin -> Prod) is capped at 1h by STS"},
		{10 * time.Minute, "10m is less than 15m, the STS minimum (900 s)"},
		{0, "0s is less than 15m, the STS minimum (900 s)"},
	} {
		t.Run(FormatDuration(tt.d), func(t *testing.T) {
			err := b.Check(tt.d)
			if tt.want == "" {
				if err != nil {
					t.Errorf("Check(%v) = %v, want nil", tt.d, err)
				}
				return
			}
			if err == nil || err.Error() != tt.want {
				t.Fatalf("Check(%v) = %v, want %q", tt.d, err, tt.want)
			}
			var be *BoundError
			if !errors.As(err, &be) || be.Asked != tt.d || be.Below != (tt.d < 15*time.Minute) {
				t.Errorf("Check(%v) = %#v", tt.d, err)
			}
			if want := b.Max; !be.Below && be.Bound != want {
				t.Errorf("refusing bound %+v, want %+v", be.Bound, want)
			}
		})
	}
	ceilingOnly := Bounds{Min: floor, Max: ceiling, All: []Bound{floor, ceiling}}
	if err := ceilingOnly.Check(13 * time.Hour); err == nil || err.Error() != "13h is more than 12h: the STS maximum (43200 s)" {
		t.Errorf("Check(13h) = %v", err)
	}
}

func TestBoundsClip(t *testing.T) {
	b := testBounds()
	for _, tt := range []struct{ in, want time.Duration }{
		{0, 15 * time.Minute},
		{5 * time.Minute, 15 * time.Minute},
		{30 * time.Minute, 30 * time.Minute},
		{8 * time.Hour, time.Hour},
	} {
		if got := b.Clip(tt.in); got != tt.want {
			t.Errorf("Clip(%v) = %v, want %v", tt.in, got, tt.want)
		}
	}
	if got := (Bounds{}).Clip(8 * time.Hour); got != 8*time.Hour {
		t.Errorf("zero Bounds Clip(8h) = %v, want it unchanged", got)
	}
}
