// Package config reads the AWS shared config and credentials files into an
// ordered list of profiles, agreeing with the AWS CLI v2 on every point of
// ../shared/AWS-CONFIG.md: which sections are profiles, how names are
// extracted, how the two files merge, and which files are refused.
//
// The package is pure: it reads the files it is given and nothing else; the
// environment reaches it only through Paths.
package config

// Profile is one profile after the config and credentials files are merged,
// as `aws configure list-profiles` and `aws configure get` see it.
type Profile struct {
	// Name is the profile name ("default", "dev", "quoted name").
	Name string
	// Keys holds every key of the profile, lowercased, values exactly as the
	// CLI reads them (quotes and inline "#" kept, continuation lines joined
	// with "\n"), [DEFAULT] keys inherited, credentials-file keys winning.
	Keys map[string]string
	// File and Line locate the section header that defines the profile
	// (the config file's, when the profile is in both files).
	File string
	Line int
	// InConfig and InCredentials say which files hold a section for it.
	InConfig, InCredentials bool
}

// Get returns the value of key (lowercase) and whether it is set.
func (p *Profile) Get(key string) (string, bool) {
	v, ok := p.Keys[key]
	return v, ok
}

// Value returns the value of key (lowercase), or "" when unset.
func (p *Profile) Value(key string) string { return p.Keys[key] }

// Config is the merged view of both files.
type Config struct {
	// Profiles in the AWS CLI's order: config-file profiles in file order,
	// then credentials-only profiles in credentials-file order.
	Profiles []*Profile
	// SSOSessions maps an [sso-session NAME] to its keys.
	SSOSessions map[string]map[string]string
	// Services maps a [services NAME] section to its raw keys (a nested
	// block such as "sts =\n  endpoint_url = X" stays one raw value).
	Services map[string]map[string]string
	// Paths are the files that were read ("" for no file).
	Paths Paths

	byName map[string]*Profile
}

// Profile returns the named profile.
func (c *Config) Profile(name string) (*Profile, bool) {
	p, ok := c.byName[name]
	return p, ok
}

// Names returns the profile names in the AWS CLI's order.
func (c *Config) Names() []string {
	names := make([]string, len(c.Profiles))
	for i, p := range c.Profiles {
		names[i] = p.Name
	}
	return names
}

// Paths names the two files to read. An empty string means "no file", as
// AWS_CONFIG_FILE= (set but empty) does for the CLI.
type Paths struct {
	Config      string
	Credentials string
}
