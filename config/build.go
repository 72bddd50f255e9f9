package config

// New builds a Config from already-merged profiles (in order); used by tests and generators.
// The profiles are kept as given; when two share a name the later one is the
// one Profile returns, as the CLI lets a later section win.
func New(paths Paths, profiles []*Profile, ssoSessions, services map[string]map[string]string) *Config {
	byName := make(map[string]*Profile, len(profiles))
	for _, p := range profiles {
		byName[p.Name] = p
	}
	return &Config{
		Profiles:    profiles,
		SSOSessions: ssoSessions,
		Services:    services,
		Paths:       paths,
		byName:      byName,
	}
}
