package roles

// SourceLabel is the short source of a plan that `rolesw list` and the
// switcher show: the profile that gives the first hop its credentials (for
// a chain, the profile just before the last hop), the credential_source, or
// for a plan without hops the kind of credentials it holds.
func (p *Plan) SourceLabel() string {
	switch p.Source.Kind {
	case SourceEnvironment:
		return "Environment"
	case SourceEc2InstanceMetadata:
		return "Ec2InstanceMetadata"
	case SourceEcsContainer:
		return "EcsContainer"
	}
	if len(p.Hops) > 1 {
		return p.Hops[len(p.Hops)-2].Profile
	}
	if len(p.Hops) == 1 {
		return p.Source.Profile
	}
	switch p.Source.Kind {
	case SourceStatic:
		return "keys"
	case SourceProcess:
		return "credential_process"
	case SourceSSO:
		return "sso"
	case SourceWebIdentity:
		return "web_identity"
	}
	return "-"
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
