package roles

import (
	"fmt"
	"strings"
)

// base reads the credentials of a profile that is not (or not only) a role
// profile, with the CLI's profile providers in the CLI's order: web
// identity, SSO, static keys, credential_process. found is false when none
// applies.
func (r *resolver) base(p *profile) (src Source, found bool, err error) {
	src.Profile = p.Name
	if tok, ok := p.get(keyWebIdentityTokenFile); ok {
		arn, ok := p.get(keyRoleARN)
		if !ok {
			return src, false, &ProfileError{Profile: p.Name, Key: "role_arn",
				Msg: "is configured to assume role with web identity but has no role ARN configured",
				Fix: "add role_arn next to web_identity_token_file"}
		}
		src.Kind, src.WebIdentityTokenFile, src.WebIdentityRoleARN = SourceWebIdentity, tok, arn
		// The result of AssumeRoleWithWebIdentity is a role session.
		src.RoleSession = true
		return src, true, nil
	}
	if sso, ok, err := r.sso(p); err != nil || ok {
		src.Kind, src.SSO, src.RoleSession = SourceSSO, sso, true
		return src, ok, err
	}
	if p.hasStatic() {
		id, okID := p.get(keyAccessKeyID)
		secret, okSecret := p.get(keySecretAccessKey)
		if !okID || !okSecret {
			missing, provider := "aws_access_key_id", "config-file"
			if !okSecret {
				missing = "aws_secret_access_key"
			}
			if p.InCredentials {
				provider = "shared-credentials-file"
			}
			return src, false, &ProfileError{Profile: p.Name, Key: missing,
				Msg: fmt.Sprintf("Partial credentials found in %s, missing: %s", provider, missing),
				Fix: "set both aws_access_key_id and aws_secret_access_key"}
		}
		src.Kind, src.AccessKeyID, src.SecretAccessKey = SourceStatic, id, secret
		src.SessionToken = p.value(keySessionToken)
		// Keys with a session token are temporary credentials, taken to be
		// a role session, so assuming a role with them is chaining.
		src.RoleSession = src.SessionToken != ""
		return src, true, nil
	}
	if proc, ok := p.get(keyCredentialProcess); ok {
		src.Kind, src.Process = SourceProcess, proc
		return src, true, nil
	}
	return src, false, nil
}

// ssoKeys are the keys whose presence makes a profile an SSO profile for
// the CLI, in the order the CLI lists them when some are missing.
var ssoKeys = [...]key{keySSOStartURL, keySSORegion, keySSORoleName, keySSOAccountID}

// sso reads the SSO settings of p, merging its [sso-session] as the CLI does.
func (r *resolver) sso(p *profile) (SSO, bool, error) {
	if !p.isSet(bit(keySSOStartURL) | bit(keySSORegion) | bit(keySSORoleName) | bit(keySSOAccountID)) {
		return SSO{}, false, nil
	}
	// vals and set follow ssoKeys.
	var vals [len(ssoKeys)]string
	var set [len(ssoKeys)]bool
	for i, k := range ssoKeys {
		vals[i], set[i] = p.get(k)
	}
	name, hasSession := p.get(keySSOSession)
	if hasSession {
		sect, ok := r.cfg.SSOSessions[name]
		if !ok {
			return SSO{}, false, &ProfileError{Profile: p.Name, Key: "sso_session",
				Msg: fmt.Sprintf("The specified sso-session does not exist: %q", name),
				Fix: fmt.Sprintf("add an [sso-session %s] section with sso_start_url and sso_region, or correct sso_session", name)}
		}
		// The session's other keys (sso_registration_scopes) are not
		// needed here.
		for i, k := range ssoKeys {
			v, ok := sect[keyNames[k]]
			if !ok {
				continue
			}
			if set[i] && vals[i] != v {
				return SSO{}, false, &ProfileError{Profile: p.Name, Key: keyNames[k],
					Msg: fmt.Sprintf("The value for %s is inconsistent between profile (%s) and sso-session (%s)", keyNames[k], vals[i], v),
					Fix: fmt.Sprintf("remove %s from profile %q or make it match [sso-session %s]", keyNames[k], p.Name, name)}
			}
			vals[i], set[i] = v, true
		}
	}
	var missing []string
	for i, k := range ssoKeys {
		if !set[i] {
			missing = append(missing, keyNames[k])
		}
	}
	if len(missing) > 0 {
		return SSO{}, false, &ProfileError{Profile: p.Name, Key: missing[0], named: true,
			Msg: fmt.Sprintf("The profile %q is configured to use SSO but is missing required configuration: %s", p.Name, strings.Join(missing, ", ")),
			Fix: "run `aws configure sso` for this profile"}
	}
	return SSO{Session: name, StartURL: vals[0], Region: vals[1], RoleName: vals[2], AccountID: vals[3]}, true, nil
}

// String is the kind as the chain shows it: "keys", "credential_process",
// "sso", "web_identity", or the credential_source value.
func (k SourceKind) String() string {
	switch k {
	case SourceStatic:
		return "keys"
	case SourceProcess:
		return "credential_process"
	case SourceSSO:
		return "sso"
	case SourceWebIdentity:
		return "web_identity"
	case SourceEnvironment:
		return "Environment"
	case SourceEc2InstanceMetadata:
		return "Ec2InstanceMetadata"
	case SourceEcsContainer:
		return "EcsContainer"
	}
	return "none"
}

// roleParts returns the role's name and account of a role ARN, or "" for
// the name when arn is not an IAM role ARN (RoleName and AccountID with one
// parse).
func roleParts(arn string) (name, account string) {
	account, res, ok := parseIAMARN(arn)
	if !ok || !strings.HasPrefix(res, "role/") {
		return "", account
	}
	return res[strings.LastIndexByte(res, '/')+1:], account
}

// texts builds, in one allocation, the plan's chain,
// "dev (keys) -> DevAdmin @111111111111 -> Prod @123456789012", the
// reason of the role chaining bound when chained, "role chaining (dev ->
// DevAdmin -> Prod) is capped at 1h by STS", and the reason of a role
// maximum set in the selected profile outer[0] when maxInProfile.
// outer are the hop profiles, outermost first, with roleName and account
// filled by hop.
func texts(src Source, outer []profile, chained, maxInProfile bool) (chain, chaining, roleMax string) {
	const (
		sep          = " -> "
		chainingPre  = "role chaining ("
		chainingPost = ") is capped at 1h by STS"
		maxPre       = "the role's maximum (rolesw_max_session_duration in profile "
		maxPost      = ")"
	)
	label := src.Kind.String()
	// The chaining reason starts at the base's name, or at the kind for a
	// credential_source, which has no profile of its own to show.
	first := src.Profile
	switch src.Kind {
	case SourceEnvironment, SourceEc2InstanceMetadata, SourceEcsContainer:
		first = label
	}
	n := len(src.Profile) + len(" (") + len(label) + len(")")
	names := len(first)
	for i := range outer {
		p := &outer[i]
		if p.roleName == "" {
			n += len(sep) + len(p.value(keyRoleARN))
			names += len(sep) + len(p.value(keyRoleARN))
		} else {
			n += len(sep) + len(p.roleName) + len(" @") + len(p.account)
			names += len(sep) + len(p.roleName)
		}
	}
	chainLen, chainingLen := n, 0
	if chained {
		chainingLen = len(chainingPre) + names + len(chainingPost)
		n += chainingLen
	}
	if maxInProfile {
		n += len(maxPre) + len(outer[0].Name) + len(maxPost)
	}

	var b strings.Builder
	b.Grow(n)
	b.WriteString(src.Profile)
	b.WriteString(" (")
	b.WriteString(label)
	b.WriteString(")")
	for i := len(outer) - 1; i >= 0; i-- {
		p := &outer[i]
		b.WriteString(sep)
		if p.roleName == "" {
			b.WriteString(p.value(keyRoleARN))
			continue
		}
		b.WriteString(p.roleName)
		b.WriteString(" @")
		b.WriteString(p.account)
	}
	if chained {
		b.WriteString(chainingPre)
		b.WriteString(first)
		for i := len(outer) - 1; i >= 0; i-- {
			p := &outer[i]
			b.WriteString(sep)
			if p.roleName == "" {
				b.WriteString(p.value(keyRoleARN))
			} else {
				b.WriteString(p.roleName)
			}
		}
		b.WriteString(chainingPost)
	}
	if maxInProfile {
		b.WriteString(maxPre)
		b.WriteString(outer[0].Name)
		b.WriteString(maxPost)
	}
	// The three strings share the one built; they live as long as the plan.
	s := b.String()
	chain = s[:chainLen]
	if chained {
		chaining = s[chainLen : chainLen+chainingLen]
	}
	if maxInProfile {
		roleMax = s[chainLen+chainingLen:]
	}
	return chain, chaining, roleMax
}
