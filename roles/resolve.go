package roles

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/rolesw/rolesw/config"
)

// Inputs carries what the pure planner cannot look up itself.
type Inputs struct {
	// LearnedMax maps a role ARN to the MaxSessionDuration, in seconds,
	// learned from STS refusals (the state file).
	LearnedMax map[string]int
	// EnvHasSessionToken is true when AWS_SESSION_TOKEN is set in rolesw's
	// environment: a credential_source = Environment base is then a role
	// session, and assuming a role with it is role chaining.
	EnvHasSessionToken bool
}

// credentialSources are the credential_source values the CLI accepts,
// compared case-sensitively as the CLI does.
var credentialSources = map[string]SourceKind{
	"Environment":         SourceEnvironment,
	"Ec2InstanceMetadata": SourceEc2InstanceMetadata,
	"EcsContainer":        SourceEcsContainer,
}

// Resolve plans how to assume the role of profile name, following
// source_profile chains as the AWS CLI v2 does (../shared/AWS-CONFIG.md 4.1).
// A profile that is its own base (static keys, SSO, credential_process, web
// identity) gives a Plan without hops, whose Bounds are zero and Default 0:
// no duration is chosen for it. Errors are *ProfileError.
func Resolve(cfg *config.Config, name string, in Inputs) (*Plan, error) {
	if cfg == nil {
		return nil, notFound(nil, name)
	}
	p, ok := cfg.Profile(name)
	if !ok {
		return nil, notFound(cfg, name)
	}
	r := resolver{cfg: cfg, in: in}
	plan := &Plan{Profile: name, Region: p.Value("region")}
	if isAssumeRole(p) {
		if err := r.chain(p, plan); err != nil {
			return nil, err
		}
	} else {
		src, found, err := r.base(p)
		if err != nil {
			return nil, err
		}
		if !found {
			return nil, &ProfileError{Profile: name, Key: "role_arn", Err: ErrNotAssumable,
				Msg: "cannot be assumed: it has no role_arn and no credentials",
				Fix: "add role_arn with source_profile or credential_source, or give it aws_access_key_id and aws_secret_access_key, sso_session or credential_process"}
		}
		plan.Source = src
	}
	plan.Chain = chainString(plan)
	plan.Warnings = append(plan.Warnings, r.warnings...)
	return plan, nil
}

type resolver struct {
	cfg      *config.Config
	in       Inputs
	warnings []string
}

func (r *resolver) warn(format string, args ...any) {
	r.warnings = append(r.warnings, fmt.Sprintf(format, args...))
}

func isAssumeRole(p *config.Profile) bool {
	_, role := p.Get("role_arn")
	_, web := p.Get("web_identity_token_file")
	return role && !web
}

// hasStatic is the CLI's test for static keys: either key present, even
// alone (the missing one is then an error when the keys are read).
func hasStatic(p *config.Profile) bool {
	_, id := p.Get("aws_access_key_id")
	_, secret := p.Get("aws_secret_access_key")
	return id || secret
}

// chain walks source_profile from the selected profile p to the base and
// fills plan's hops, source and bounds.
func (r *resolver) chain(p *config.Profile, plan *Plan) error {
	visited := []string{p.Name}
	var outer []*config.Profile // hop profiles, outermost first
	cur := p
	for {
		outer = append(outer, cur)
		cs, hasCS := cur.Get("credential_source")
		sp, hasSP := cur.Get("source_profile")
		switch {
		case hasCS && hasSP:
			return &ProfileError{Profile: cur.Name, Key: "credential_source", named: true,
				Msg: fmt.Sprintf("The profile %q contains both source_profile and credential_source.", cur.Name),
				Fix: "keep only one of them"}
		case !hasCS && !hasSP:
			return &ProfileError{Profile: cur.Name, Key: "source_profile",
				Msg: "Partial credentials found in assume-role, missing: source_profile or credential_source",
				Fix: "add source_profile = PROFILE or credential_source = Environment, Ec2InstanceMetadata or EcsContainer"}
		case hasCS:
			kind, ok := credentialSources[cs]
			if !ok {
				return &ProfileError{Profile: cur.Name, Key: "credential_source", named: true,
					Msg: fmt.Sprintf("The credential source %q referenced in profile %q is not valid.", cs, cur.Name),
					Fix: "use exactly Environment, Ec2InstanceMetadata or EcsContainer (case matters)"}
			}
			plan.Source = Source{Kind: kind, Profile: cur.Name,
				RoleSession: kind != SourceEnvironment || r.in.EnvHasSessionToken}
			return r.finish(plan, outer)
		}
		s, ok := r.cfg.Profile(sp)
		if !ok {
			return &ProfileError{Profile: cur.Name, Key: "source_profile", named: true,
				Msg: fmt.Sprintf("The source_profile %q referenced in the profile %q does not exist.", sp, cur.Name),
				Fix: fmt.Sprintf("add a [profile %s] section or correct source_profile in profile %q", sp, cur.Name)}
		}
		// A profile may name itself only to assume its role with its own
		// static keys; any other revisit would recurse for ever.
		if slices.Contains(visited, sp) && !(sp == cur.Name && hasStatic(cur)) {
			return &ProfileError{Profile: cur.Name, Key: "source_profile", named: true,
				Msg: fmt.Sprintf("Infinite loop in credential configuration detected. Attempting to load from profile %s which has already been visited. Visited profiles: %s", sp, pyList(visited)),
				Fix: fmt.Sprintf("point source_profile of profile %q at a profile with credentials", cur.Name)}
		}
		visited = append(visited, sp)
		// Static keys beat the source's own role_arn: the CLI reads them
		// with the profile providers and does not assume the source's role.
		if hasStatic(s) || !isAssumeRole(s) {
			src, found, err := r.base(s)
			if err != nil {
				return err
			}
			if !found {
				return &ProfileError{Profile: s.Name, named: true,
					Msg: fmt.Sprintf("The source profile %q must have credentials.", s.Name),
					Fix: fmt.Sprintf("give profile %q aws_access_key_id and aws_secret_access_key, sso_session or credential_process, or point source_profile of profile %q elsewhere", s.Name, cur.Name)}
			}
			plan.Source = src
			return r.finish(plan, outer)
		}
		cur = s
	}
}

// finish turns the hop profiles (outermost first) into hops innermost
// first, checks each hop's parameters in call order, and sets the bounds.
func (r *resolver) finish(plan *Plan, outer []*config.Profile) error {
	plan.Hops = make([]Hop, 0, len(outer))
	for i := len(outer) - 1; i >= 0; i-- {
		h, err := r.hop(outer[i])
		if err != nil {
			return err
		}
		// STS caps a session at 1h when its caller is itself a role
		// session: every hop after the first, and the first when the base
		// is a role session.
		h.Chained = len(plan.Hops) > 0 || plan.Source.RoleSession
		// The chosen duration replaces the last hop's duration_seconds, but
		// an inner hop sends its own, and STS refuses one above its cap.
		if i > 0 && h.DurationSeconds > 0 {
			limit, why := stsMaxSeconds, "the STS maximum"
			if h.Chained {
				limit, why = chainingMaxSeconds, "the role chaining limit"
			}
			if h.DurationSeconds > limit {
				r.warn("profile %q: duration_seconds %d is more than %d s, %s, so STS will refuse this hop", h.Profile, h.DurationSeconds, limit, why)
			}
		}
		plan.Hops = append(plan.Hops, h)
	}
	return r.bounds(plan, outer[0])
}

// hop reads one AssumeRole call's parameters from profile p.
func (r *resolver) hop(p *config.Profile) (Hop, error) {
	h := Hop{
		Profile:         p.Name,
		RoleARN:         p.Value("role_arn"),
		ExternalID:      p.Value("external_id"),
		RoleSessionName: p.Value("role_session_name"),
		MFASerial:       p.Value("mfa_serial"),
		SourceIdentity:  p.Value("source_identity"),
	}
	if _, _, ok := parseIAMARN(h.RoleARN); !ok || RoleName(h.RoleARN) == "" {
		r.warn("profile %q: role_arn %q is not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME); STS will refuse it", p.Name, h.RoleARN)
	}
	if v, ok := p.Get("role_session_name"); ok {
		if err := ValidateSessionName(v); err != nil {
			return h, &ProfileError{Profile: p.Name, Key: "role_session_name",
				Msg: "role_session_name: " + err.Error()}
		}
	}
	if v, ok := p.Get("source_identity"); ok {
		if err := ValidateSourceIdentity(v); err != nil {
			return h, &ProfileError{Profile: p.Name, Key: "source_identity",
				Msg: "source_identity: " + err.Error()}
		}
	}
	if v, ok := p.Get("duration_seconds"); ok {
		n, isInt := pyInt(v)
		switch {
		case !isInt:
			// The CLI's int() fails and it sends no DurationSeconds.
			r.warn("profile %q: duration_seconds %q is not a whole number of seconds, so it is ignored as the AWS CLI does (write e.g. 3600)", p.Name, v)
		case n < stsMinSeconds:
			return h, &ProfileError{Profile: p.Name, Key: "duration_seconds",
				Msg: fmt.Sprintf("Invalid value for parameter DurationSeconds, value: %d, valid min value: %d", n, stsMinSeconds),
				Fix: "set duration_seconds to at least 900 or remove it"}
		default:
			h.DurationSeconds = int(min(n, math.MaxInt32))
		}
	}
	return h, nil
}

// pyInt parses v as Python's int(v) does for the values people write:
// surrounding white space, an optional sign, digits with single underscores
// between them. A huge value saturates rather than failing, as Python's
// big integers never fail.
func pyInt(v string) (int64, bool) {
	s := strings.TrimSpace(v)
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	if s == "" || s[0] == '_' || s[len(s)-1] == '_' || strings.Contains(s, "__") {
		return 0, false
	}
	s = strings.ReplaceAll(s, "_", "")
	if !allDigits(s) {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		n = math.MaxInt64
	}
	if neg {
		n = -n
	}
	return n, true
}

// bounds sets plan.Bounds and plan.Default from the last hop. sel is the
// selected profile, the last hop's.
func (r *resolver) bounds(plan *Plan, sel *config.Profile) error {
	last := plan.Last()
	floor := Bound{Kind: BoundFloor, Seconds: stsMinSeconds, Reason: "the STS minimum (900 s)"}
	all := []Bound{floor, {Kind: BoundCeiling, Seconds: stsMaxSeconds, Reason: "the STS maximum (43200 s)"}}
	if v, ok := sel.Get("rolesw_max_session_duration"); ok {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n < defaultSeconds || n > stsMaxSeconds {
			return &ProfileError{Profile: sel.Name, Key: "rolesw_max_session_duration",
				Msg: fmt.Sprintf("rolesw_max_session_duration %q is not a whole number of seconds from 3600 to 43200", v),
				Fix: "set it to the role's MaxSessionDuration in seconds, e.g. 14400 for 4h"}
		}
		all = append(all, Bound{Kind: BoundRoleMax, Seconds: n,
			Reason: fmt.Sprintf("the role's maximum (rolesw_max_session_duration in profile %s)", sel.Name)})
	} else if n, ok := r.in.LearnedMax[last.RoleARN]; ok && n >= stsMinSeconds {
		// The profile key wins over a learned value: it is the user's own
		// statement, and editing it is how a stale learned value is fixed.
		all = append(all, Bound{Kind: BoundRoleMax, Seconds: n, Reason: "the role's maximum (learned from STS)"})
	}
	if last.Chained {
		all = append(all, Bound{Kind: BoundChaining, Seconds: chainingMaxSeconds,
			Reason: fmt.Sprintf("role chaining (%s) is capped at 1h by STS", chainNames(plan))})
	}
	// The smallest upper bound is the effective one; on a tie the later,
	// more specific reason is shown.
	hi := all[1]
	for _, b := range all[2:] {
		if b.Seconds <= hi.Seconds {
			hi = b
		}
	}
	plan.Bounds = Bounds{Min: floor, Max: hi, All: all}

	want := seconds(defaultSeconds)
	if d := last.DurationSeconds; d != 0 {
		if err := plan.Bounds.Check(seconds(d)); err == nil {
			want = seconds(d)
		} else {
			r.warn("profile %q: duration_seconds %d is not used: %v; the default is 1h", sel.Name, d, err)
		}
	}
	plan.Default = plan.Bounds.Clip(want)
	return nil
}
