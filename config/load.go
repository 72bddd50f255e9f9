package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"syscall"
)

// ParseError is a file the AWS CLI refuses to read. The CLI refuses the
// whole file (every command fails, list-profiles included), so rolesw does
// too rather than list a partial set of profiles.
type ParseError struct {
	// Path is the file, as given in Paths.
	Path string
	// Line is the 1-based line of the problem, or 0 when unknown.
	Line int
	// Reason says what is wrong and how to fix it.
	Reason string
}

// Error returns "unable to parse config file PATH: line N: REASON".
func (e *ParseError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("unable to parse config file %s: line %d: %s", e.Path, e.Line, e.Reason)
	}
	return fmt.Sprintf("unable to parse config file %s: %s", e.Path, e.Reason)
}

// Load reads both files and merges them as the AWS CLI does. A missing file,
// a directory or an empty path is an empty file, as for the CLI. A file the
// CLI would refuse gives a *ParseError.
func Load(p Paths) (*Config, error) {
	configData, err := readFile(p.Config)
	if err != nil {
		return nil, err
	}
	credentialsData, err := readFile(p.Credentials)
	if err != nil {
		return nil, err
	}
	return Parse(configData, credentialsData, p)
}

// readFile returns nil for the cases botocore treats as "no file":
// os.path.isfile is false (missing, directory, special file, broken link).
func readFile(path string) ([]byte, error) {
	if path == "" {
		return nil, nil
	}
	fi, err := os.Stat(path)
	if err != nil || !fi.Mode().IsRegular() {
		if err == nil || errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
			return nil, nil
		}
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		// The CLI silently treats an unreadable file as empty; listing
		// nothing without a word would hide the real problem.
		return nil, fmt.Errorf("read %s: %w; check the file's permissions", path, err)
	}
	return data, nil
}

// Parse is Load on bytes already read; the paths in p only name the files
// in messages and in Profile.File.
func Parse(configData, credentialsData []byte, p Paths) (*Config, error) {
	configSections, err := scan(p.Config, configData)
	if err != nil {
		return nil, err
	}
	credentialsSections, err := scan(p.Credentials, credentialsData)
	if err != nil {
		return nil, err
	}

	c := &Config{
		Profiles:    make([]*Profile, 0, len(configSections)+len(credentialsSections)),
		SSOSessions: make(map[string]map[string]string),
		Services:    make(map[string]map[string]string),
		Paths:       p,
		byName:      make(map[string]*Profile, len(configSections)+len(credentialsSections)),
	}

	// Config file: botocore's build_profile_map. The branches are tried in
	// this order, with startswith, exactly as the CLI does.
	for _, sec := range configSections {
		name := sec.name
		switch {
		case strings.HasPrefix(name, "profile"):
			if parts, err := shlexSplit(name); err == nil && len(parts) == 2 {
				c.setConfigProfile(parts[1], sec)
			}
		case strings.HasPrefix(name, "sso-session"):
			if parts, err := shlexSplit(name); err == nil && len(parts) == 2 {
				c.SSOSessions[parts[1]] = sec.keys
			}
		case name == "default":
			c.setConfigProfile(name, sec)
		case strings.HasPrefix(name, "services"):
			// CLI 2.13+ and the SDK read these; 2.9.19 keeps them as plain
			// top-level sections. Either way they are not profiles.
			if parts, err := shlexSplit(name); err == nil && len(parts) == 2 {
				c.Services[parts[1]] = sec.keys
			}
		}
	}

	// Credentials file: Session.full_config. Every section name is a
	// profile name, literally; keys are merged one by one, credentials win.
	for _, sec := range credentialsSections {
		if prof, ok := c.byName[sec.name]; ok {
			for k, v := range sec.keys {
				prof.Keys[k] = v
			}
			prof.InCredentials = true
			continue
		}
		prof := &Profile{Name: sec.name, Keys: sec.keys, File: p.Credentials, Line: sec.line, InCredentials: true}
		c.Profiles = append(c.Profiles, prof)
		c.byName[prof.Name] = prof
	}
	return c, nil
}

// setConfigProfile stores a config-file profile. A second section with the
// same profile name ([default] and [profile default], or [profile a] and
// [profile "a"]) replaces the first one whole, keeping its place in the list,
// as a Python dict assignment does.
func (c *Config) setConfigProfile(name string, sec *section) {
	if prof, ok := c.byName[name]; ok {
		prof.Keys, prof.Line = sec.keys, sec.line
		return
	}
	prof := &Profile{Name: name, Keys: sec.keys, File: c.Paths.Config, Line: sec.line, InConfig: true}
	c.Profiles = append(c.Profiles, prof)
	c.byName[name] = prof
}
