package roles

// SourceLabel is the short source of a plan that `rolesw list` and the
// switcher show: the credential_source, else the profile that gives the
// last hop its caller (for a chain, the profile just before it), else for a
// plan without hops the kind of credentials it holds ("keys", "sso", ...).
func (p *Plan) SourceLabel() string {
	switch k := p.Source.Kind; {
	case k == SourceEnvironment || k == SourceEc2InstanceMetadata || k == SourceEcsContainer:
		return k.String()
	case len(p.Hops) > 1:
		return p.Hops[len(p.Hops)-2].Profile
	case len(p.Hops) == 1:
		return p.Source.Profile
	case k == SourceNone:
		return "-"
	default:
		return k.String()
	}
}

// MFASerial is the mfa_serial of the first hop that needs an MFA code, or
// "" when none does.
func (p *Plan) MFASerial() string {
	for _, h := range p.Hops {
		if h.MFASerial != "" {
			return h.MFASerial
		}
	}
	return ""
}
