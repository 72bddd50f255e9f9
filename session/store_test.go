package session

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestStateDir(t *testing.T) {
	cases := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"xdg", map[string]string{"XDG_STATE_HOME": "/xdg/state"}, "/xdg/state/rolesw"},
		{"relative xdg ignored", map[string]string{"XDG_STATE_HOME": "state"}, "/home/dev/.local/state/rolesw"},
		{"default", nil, "/home/dev/.local/state/rolesw"},
	}
	if runtime.GOOS == "windows" {
		t.Skip("unix paths")
	}
	for _, tc := range cases {
		if got := StateDir(envMap(tc.env), "/home/dev"); got != tc.want {
			t.Errorf("%s: StateDir = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestStoreRoundTrip(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "rolesw")
	now := fixedNow
	s := OpenStore(dir, func() time.Time { return now })
	if w := s.Load(); len(w) != 0 || len(s.Uses()) != 0 || len(s.Maxima()) != 0 {
		t.Fatalf("a missing file should be an empty state without warnings: %v", w)
	}
	if err := s.RecordUse("prod"); err != nil {
		t.Fatal(err)
	}
	now = now.Add(time.Hour)
	if err := s.RecordUse("prod"); err != nil {
		t.Fatal(err)
	}
	if err := s.LearnMax(roleA, 7200); err != nil {
		t.Fatal(err)
	}

	fi, err := os.Stat(filepath.Join(dir, "state.json"))
	if err != nil {
		t.Fatal(err)
	}
	di, _ := os.Stat(dir)
	if runtime.GOOS != "windows" && (fi.Mode().Perm() != 0o600 || di.Mode().Perm() != 0o700) {
		t.Errorf("modes file %v dir %v, want 0600 and 0700", fi.Mode().Perm(), di.Mode().Perm())
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("state dir holds %d entries, want only state.json (no temp files left)", len(entries))
	}

	again := OpenStore(dir, time.Now)
	u := again.Uses()["prod"]
	if u.Count != 2 || !u.Last.Equal(fixedNow.Add(time.Hour)) {
		t.Errorf("reloaded use %+v, want 2 uses, last %v", u, fixedNow.Add(time.Hour))
	}
	if again.Maxima()[roleA] != 7200 {
		t.Errorf("reloaded maxima %v", again.Maxima())
	}
	// The accessors return copies: changing one does not change the store.
	again.Maxima()[roleA] = 1
	if again.Maxima()[roleA] != 7200 {
		t.Error("Maxima returned the store's own map")
	}
}

// TestStoreAtomic: a save replaces the file in one rename, so a reader
// sees the old document or the new one, and an unrelated temp file from a
// crashed save does not confuse the next load.
func TestStoreAtomic(t *testing.T) {
	dir := t.TempDir()
	s := OpenStore(dir, func() time.Time { return fixedNow })
	if err := s.LearnMax(roleA, 3600); err != nil {
		t.Fatal(err)
	}
	before, _ := os.Stat(filepath.Join(dir, "state.json"))
	os.WriteFile(filepath.Join(dir, "state.json.tmp-crashed"), []byte("{half"), 0o600)
	if err := s.LearnMax(roleB, 7200); err != nil {
		t.Fatal(err)
	}
	after, _ := os.Stat(filepath.Join(dir, "state.json"))
	if os.SameFile(before, after) {
		t.Error("state.json was rewritten in place, not replaced by a rename")
	}
	var doc map[string]any
	b, _ := os.ReadFile(filepath.Join(dir, "state.json"))
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("state.json is not JSON: %v", err)
	}
	if strings.Contains(string(b), "Secret") || strings.Contains(string(b), "Token") {
		t.Errorf("state holds credential fields: %s", b)
	}
}

func TestStoreCorrupt(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "state.json")
	os.WriteFile(path, []byte(`{"uses": {"prod": `), 0o600)
	s := OpenStore(dir, func() time.Time { return fixedNow })
	w := s.Load()
	aside := path + ".corrupt-" + strconv.FormatInt(fixedNow.Unix(), 10)
	if len(w) != 1 || !strings.Contains(w[0], "corrupt") || !strings.Contains(w[0], aside) {
		t.Fatalf("warnings %q, want one naming %s", w, aside)
	}
	if b, err := os.ReadFile(aside); err != nil || string(b) != `{"uses": {"prod": ` {
		t.Errorf("the corrupt file was not kept at %s: %v", aside, err)
	}
	if err := s.RecordUse("dev"); err != nil {
		t.Fatalf("the store did not recover: %v", err)
	}
	if got := OpenStore(dir, time.Now).Uses()["dev"].Count; got != 1 {
		t.Errorf("rebuilt state has %d uses of dev, want 1", got)
	}
	if w2 := s.Load(); len(w2) != 1 {
		t.Errorf("a second Load read the file again: %v", w2)
	}
}

// A rolesw nested in a subshell and its parent share the file: a save by
// one must not undo what the other wrote since it started.
func TestStoreConcurrentProcessesKeepEachOthersChanges(t *testing.T) {
	dir := t.TempDir()
	now := func() time.Time { return time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC) }
	parent := OpenStore(dir, now)
	parent.Load()
	nested := OpenStore(dir, now)
	if err := nested.LearnMax("arn:aws:iam::1:role/R", 7200); err != nil {
		t.Fatal(err)
	}
	if err := nested.RecordUse("inner"); err != nil {
		t.Fatal(err)
	}
	if err := parent.RecordUse("outer"); err != nil {
		t.Fatal(err)
	}
	fresh := OpenStore(dir, now)
	if got := fresh.Maxima()["arn:aws:iam::1:role/R"]; got != 7200 {
		t.Errorf("the parent's save lost the nested run's learned maximum: %d", got)
	}
	uses := fresh.Uses()
	if uses["inner"].Count != 1 || uses["outer"].Count != 1 {
		t.Errorf("uses = %+v, want inner and outer once each", uses)
	}
}

func TestStoreSessions(t *testing.T) {
	dir := t.TempDir()
	clock := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	s := OpenStore(dir, func() time.Time { return clock })
	id := "arn:aws:sts::123456789012:assumed-role/Prod/rolesw-dev-1"
	if err := s.RecordSession(id, clock, clock.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if got, ok := OpenStore(dir, nil).SessionIssued(id); !ok || !got.Equal(clock) {
		t.Errorf("SessionIssued = %v, %v; want %v", got, ok, clock)
	}
	// A day after it expired, the next save drops it.
	clock = clock.Add(27 * time.Hour)
	if err := s.RecordUse("p"); err != nil {
		t.Fatal(err)
	}
	if _, ok := OpenStore(dir, nil).SessionIssued(id); ok {
		t.Error("an expired session was kept for more than a day")
	}
}

func TestStoreRecordAssumeIsOneWrite(t *testing.T) {
	dir := t.TempDir()
	clock := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	s := OpenStore(dir, func() time.Time { return clock })
	id := "arn:aws:sts::1:assumed-role/R/s"
	if err := s.RecordAssume("prod", id, clock, clock.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	fresh := OpenStore(dir, nil)
	if u := fresh.Uses()["prod"]; u.Count != 1 || !u.Last.Equal(clock) {
		t.Errorf("use = %+v", u)
	}
	if got, ok := fresh.SessionIssued(id); !ok || !got.Equal(clock) {
		t.Errorf("session issued = %v %v", got, ok)
	}
	// A zero expiry (long-term keys) records the use only.
	if err := s.RecordAssume("keys", "arn:aws:iam::1:user/u", time.Time{}, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if _, ok := OpenStore(dir, nil).SessionIssued("arn:aws:iam::1:user/u"); ok {
		t.Error("a session without expiry was recorded")
	}
}
