package session

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"
)

// stateFileName is the one file rolesw writes, inside StateDir.
const stateFileName = "state.json"

// StateDir returns rolesw's state directory: $XDG_STATE_HOME/rolesw when
// XDG_STATE_HOME is an absolute path, else HOME/.local/state/rolesw (on
// Windows %LOCALAPPDATA%\rolesw when set).
func StateDir(lookup func(string) (string, bool), home string) string {
	// The XDG base directory spec says relative values are invalid and
	// must be ignored, so "XDG_STATE_HOME=state" does not write into the
	// current directory.
	if v, ok := lookup("XDG_STATE_HOME"); ok && filepath.IsAbs(v) {
		return filepath.Join(v, "rolesw")
	}
	if runtime.GOOS == "windows" {
		if v, ok := lookup("LOCALAPPDATA"); ok && v != "" {
			return filepath.Join(v, "rolesw")
		}
	}
	return filepath.Join(home, ".local", "state", "rolesw")
}

// Store is rolesw's state file: frecency of profiles and learned role
// maxima. It holds no secrets. The zero value is not usable; use OpenStore.
type Store struct {
	dir string
	now func() time.Time

	mu       sync.Mutex
	loaded   bool
	warnings []string
	state    stateFile
}

// stateFile is the JSON document on disk.
type stateFile struct {
	Version int              `json:"version"`
	Uses    map[string]Usage `json:"uses,omitempty"`
	// Maxima maps a role ARN to the longest session STS granted after
	// refusing a longer one.
	Maxima map[string]int `json:"role_max_seconds,omitempty"`
	// Sessions maps an assumed-role ARN to when rolesw started that
	// session and when it ends, so a rolesw run inside it can show how much
	// of it has gone. Entries are dropped a day after they expire.
	Sessions map[string]SessionSpan `json:"sessions,omitempty"`
}

// SessionSpan is when a session rolesw started began and ends.
type SessionSpan struct {
	Issued  time.Time `json:"issued"`
	Expires time.Time `json:"expires"`
}

// OpenStore returns the store of dir; nothing is read until Load or the
// first accessor.
func OpenStore(dir string, now func() time.Time) *Store {
	if now == nil {
		now = time.Now
	}
	return &Store{dir: dir, now: now}
}

// Path is the state file's path.
func (s *Store) Path() string { return filepath.Join(s.dir, stateFileName) }

// Load reads the state file once; later calls return the same warnings
// without reading again. A missing file is an empty state. A file that is
// not valid JSON is renamed to state.json.corrupt-<unix> and the state
// starts empty, with a warning that says where the old file went.
func (s *Store) Load() (warnings []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.loadLocked()
	return append([]string(nil), s.warnings...)
}

func (s *Store) loadLocked() {
	if s.loaded {
		return
	}
	s.loaded = true
	s.readLocked()
}

// readLocked (re)reads the file into s.state.
func (s *Store) readLocked() {
	s.state = stateFile{}
	path := s.Path()
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return
	}
	if err != nil {
		// Unreadable (permissions, a directory): carry on with an empty
		// state; saving will report its own error if it cannot write.
		s.warnings = append(s.warnings, fmt.Sprintf("cannot read state file %s: %v; starting with empty history", path, err))
		return
	}
	var st stateFile
	if err := json.Unmarshal(data, &st); err != nil {
		aside := fmt.Sprintf("%s.corrupt-%d", path, s.now().Unix())
		if rerr := os.Rename(path, aside); rerr != nil {
			s.warnings = append(s.warnings, fmt.Sprintf("state file %s is corrupt (%v) and could not be moved aside (%v); starting with empty history", path, err, rerr))
			return
		}
		s.warnings = append(s.warnings, fmt.Sprintf("state file %s is corrupt (%v); moved it to %s and started with empty history", path, err, aside))
		return
	}
	s.state = st
}

// Maxima returns a copy of the learned role maxima: role ARN -> seconds.
func (s *Store) Maxima() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.loadLocked()
	out := make(map[string]int, len(s.state.Maxima))
	maps.Copy(out, s.state.Maxima)
	return out
}

// LearnMax records that roleARN's MaxSessionDuration is seconds and saves
// the file.
func (s *Store) LearnMax(roleARN string, seconds int) error {
	return s.update(func(st *stateFile) {
		if st.Maxima == nil {
			st.Maxima = map[string]int{}
		}
		st.Maxima[roleARN] = seconds
	})
}

// RecordSession remembers that rolesw started the session identity (an
// assumed-role ARN) at issued, ending at expires.
func (s *Store) RecordSession(identity string, issued, expires time.Time) error {
	return s.update(func(st *stateFile) { st.addSession(identity, issued, expires) })
}

// RecordAssume is RecordUse and RecordSession in one write: what `rolesw
// exec` does after every assume, so it costs one file write, not two.
func (s *Store) RecordAssume(profile, identity string, issued, expires time.Time) error {
	now := s.now().UTC().Truncate(time.Second)
	return s.update(func(st *stateFile) {
		st.addUse(profile, now)
		st.addSession(identity, issued, expires)
	})
}

func (st *stateFile) addSession(identity string, issued, expires time.Time) {
	if identity == "" || expires.IsZero() {
		return
	}
	if st.Sessions == nil {
		st.Sessions = map[string]SessionSpan{}
	}
	st.Sessions[identity] = SessionSpan{Issued: issued.UTC().Truncate(time.Second), Expires: expires.UTC()}
}

func (st *stateFile) addUse(profile string, now time.Time) {
	if st.Uses == nil {
		st.Uses = map[string]Usage{}
	}
	u := st.Uses[profile]
	u.Count++
	u.Last = now
	st.Uses[profile] = u
}

// SessionIssued returns when rolesw started the session identity, if it
// did.
func (s *Store) SessionIssued(identity string) (time.Time, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.loadLocked()
	span, ok := s.state.Sessions[identity]
	return span.Issued, ok
}

// update applies change to the state as it is on disk now, not as this
// process read it at start: a rolesw nested in a subshell writes the same
// file, and a save from a stale copy would undo its changes.
func (s *Store) update(change func(*stateFile)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.loaded = true
	s.readLocked()
	change(&s.state)
	return s.saveLocked()
}

// Uses returns a copy of the frecency records: profile -> usage.
func (s *Store) Uses() map[string]Usage {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.loadLocked()
	out := make(map[string]Usage, len(s.state.Uses))
	maps.Copy(out, s.state.Uses)
	return out
}

// RecordUse counts one assume of profile at the store's clock and saves
// the file.
func (s *Store) RecordUse(profile string) error {
	now := s.now().UTC().Truncate(time.Second)
	return s.update(func(st *stateFile) { st.addUse(profile, now) })
}

// saveLocked writes the state atomically: a temp file in the same
// directory, fsynced, then renamed over state.json, so a crash leaves
// either the old file or the new one, never half of one.
func (s *Store) saveLocked() error {
	s.state.Version = 1
	for id, span := range s.state.Sessions {
		if s.now().Sub(span.Expires) > 24*time.Hour {
			delete(s.state.Sessions, id)
		}
	}
	data, err := json.MarshalIndent(s.state, "", "  ")
	if err != nil {
		return fmt.Errorf("encode state: %w", err)
	}
	data = append(data, '\n')
	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return fmt.Errorf("create state directory: %w", err)
	}
	tmp, err := os.CreateTemp(s.dir, stateFileName+".tmp-*")
	if err != nil {
		return fmt.Errorf("write state: %w", err)
	}
	tmpName := tmp.Name()
	ok := false
	defer func() {
		if !ok {
			tmp.Close()
			os.Remove(tmpName)
		}
	}()
	// CreateTemp already uses 0600; Chmod states it rather than relying
	// on that detail.
	if err := tmp.Chmod(0o600); err != nil && runtime.GOOS != "windows" {
		return fmt.Errorf("write state %s: %w", tmpName, err)
	}
	if _, err := tmp.Write(data); err != nil {
		return fmt.Errorf("write state %s: %w", tmpName, err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("write state %s: %w", tmpName, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write state %s: %w", tmpName, err)
	}
	if err := os.Rename(tmpName, s.Path()); err != nil {
		return fmt.Errorf("write state %s: %w", s.Path(), err)
	}
	ok = true
	syncDir(s.dir)
	return nil
}

// syncDir makes the rename durable where the OS allows it; a failure only
// weakens durability, so it is ignored.
func syncDir(dir string) {
	if runtime.GOOS == "windows" {
		return
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}
