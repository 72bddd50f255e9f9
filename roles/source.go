package roles

import (
	"fmt"
	"slices"
	"strings"

	"github.com/rolesw/rolesw/config"
)

// base reads the credentials of a profile that is not (or not only) a role
// profile, with the CLI's profile providers in the CLI's order: web
// identity, SSO, static keys, credential_process. found is false when none
// applies.
func (r *resolver) base(p *config.Profile) (src Source, found bool, err error) {
	src.Profile = p.Name
	if tok, ok := p.Get("web_identity_token_file"); ok {
		arn, ok := p.Get("role_arn")
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
	if hasStatic(p) {
		id, okID := p.Get("aws_access_key_id")
		secret, okSecret := p.Get("aws_secret_access_key")
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
		src.SessionToken = p.Value("aws_session_token")
		// Keys with a session token are temporary credentials, taken to be
		// a role session, so assuming a role with them is chaining.
		src.RoleSession = src.SessionToken != ""
		return src, true, nil
	}
	if proc, ok := p.Get("credential_process"); ok {
		src.Kind, src.Process = SourceProcess, proc
		return src, true, nil
	}
	return src, false, nil
}

// ssoKeys are the keys whose presence makes a profile an SSO profile for
// the CLI, in the order the CLI lists them when some are missing.
var ssoKeys = []string{"sso_start_url", "sso_region", "sso_role_name", "sso_account_id"}

// sso reads the SSO settings of p, merging its [sso-session] as the CLI does.
func (r *resolver) sso(p *config.Profile) (SSO, bool, error) {
	if !slices.ContainsFunc(ssoKeys, func(k string) bool { _, ok := p.Get(k); return ok }) {
		return SSO{}, false, nil
	}
	vals := map[string]string{}
	for _, k := range ssoKeys {
		if v, ok := p.Get(k); ok {
			vals[k] = v
		}
	}
	name, hasSession := p.Get("sso_session")
	if hasSession {
		sect, ok := r.cfg.SSOSessions[name]
		if !ok {
			return SSO{}, false, &ProfileError{Profile: p.Name, Key: "sso_session",
				Msg: fmt.Sprintf("The specified sso-session does not exist: %q", name),
				Fix: fmt.Sprintf("add an [sso-session %s] section with sso_start_url and sso_region, or correct sso_session", name)}
		}
		for k, v := range sect {
			if pv, ok := vals[k]; ok && pv != v {
				return SSO{}, false, &ProfileError{Profile: p.Name, Key: k,
					Msg: fmt.Sprintf("The value for %s is inconsistent between profile (%s) and sso-session (%s)", k, pv, v),
					Fix: fmt.Sprintf("remove %s from profile %q or make it match [sso-session %s]", k, p.Name, name)}
			}
			vals[k] = v
		}
	}
	var missing []string
	for _, k := range ssoKeys {
		if _, ok := vals[k]; !ok {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		return SSO{}, false, &ProfileError{Profile: p.Name, Key: missing[0], named: true,
			Msg: fmt.Sprintf("The profile %q is configured to use SSO but is missing required configuration: %s", p.Name, strings.Join(missing, ", ")),
			Fix: "run `aws configure sso` for this profile"}
	}
	return SSO{Session: name, StartURL: vals["sso_start_url"], Region: vals["sso_region"],
		AccountID: vals["sso_account_id"], RoleName: vals["sso_role_name"]}, true, nil
}

// sourceLabel is the short kind of the base shown in the chain.
func sourceLabel(s Source) string { return s.Kind.String() }

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

// roleLabel is "Role @ACCOUNT", or the raw value when it is not a role ARN.
func roleLabel(arn string) string {
	name, acct := RoleName(arn), AccountID(arn)
	if name == "" {
		return arn
	}
	return name + " @" + acct
}

// chainString is "dev (keys) -> DevAdmin @111111111111 -> Prod @123456789012".
func chainString(plan *Plan) string {
	var b strings.Builder
	b.WriteString(plan.Source.Profile + " (" + sourceLabel(plan.Source) + ")")
	for _, h := range plan.Hops {
		b.WriteString(" -> " + roleLabel(h.RoleARN))
	}
	return b.String()
}

// chainNames is the chain without labels, for the chaining bound's reason:
// "dev -> DevAdmin -> Prod".
func chainNames(plan *Plan) string {
	first := plan.Source.Profile
	switch plan.Source.Kind {
	case SourceEnvironment, SourceEc2InstanceMetadata, SourceEcsContainer:
		first = sourceLabel(plan.Source)
	}
	parts := []string{first}
	for _, h := range plan.Hops {
		if n := RoleName(h.RoleARN); n != "" {
			parts = append(parts, n)
		} else {
			parts = append(parts, h.RoleARN)
		}
	}
	return strings.Join(parts, " -> ")
}
