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

// Resolve plans how to assume the role of profile name, following
// source_profile chains as the AWS CLI v2 does (../shared/AWS-CONFIG.md 4.1).
// A profile that is its own base (static keys, SSO, credential_process, web
// identity) gives a Plan without hops, whose Bounds are zero and Default 0:
// no duration is chosen for it. Errors are *ProfileError.
func Resolve(cfg *config.Config, name string, in Inputs) (*Plan, error) {
	if cfg == nil {
		return nil, notFound(nil, name)
	}
	cp, ok := cfg.Profile(name)
	if !ok {
		return nil, notFound(cfg, name)
	}
	r := resolver{cfg: cfg, in: in}
	var p profile
	p.read(cp)
	if p.isAssumeRole() {
		return r.chain(&p)
	}
	src, found, err := r.base(&p)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, &ProfileError{Profile: name, Key: "role_arn", Err: ErrNotAssumable,
			Msg: "cannot be assumed: it has no role_arn and no credentials",
			Fix: "add role_arn with source_profile or credential_source, or give it aws_access_key_id and aws_secret_access_key, sso_session or credential_process"}
	}
	return &Plan{Profile: name, Region: p.value(keyRegion), Source: src,
		Chain: src.Profile + " (" + src.Kind.String() + ")", Warnings: r.warnings}, nil
}

type resolver struct {
	cfg      *config.Config
	in       Inputs
	warnings []string
}

func (r *resolver) warn(format string, args ...any) {
	r.warnings = append(r.warnings, fmt.Sprintf(format, args...))
}

// chain walks source_profile from the selected profile sel to the base and
// plans the hops.
func (r *resolver) chain(sel *profile) (*Plan, error) {
	// Chains are short: these arrays keep the walk off the heap.
	var visitedBuf [8]string
	var outerBuf [4]profile
	visited := append(visitedBuf[:0], sel.Name)
	outer := append(outerBuf[:0], *sel) // hop profiles, outermost first
	var s profile
	for {
		cur := &outer[len(outer)-1]
		cs, hasCS := cur.get(keyCredentialSource)
		sp, hasSP := cur.get(keySourceProfile)
		switch {
		case hasCS && hasSP:
			return nil, &ProfileError{Profile: cur.Name, Key: "credential_source", named: true,
				Msg: fmt.Sprintf("The profile %q contains both source_profile and credential_source.", cur.Name),
				Fix: "keep only one of them"}
		case !hasCS && !hasSP:
			return nil, &ProfileError{Profile: cur.Name, Key: "source_profile",
				Msg: "Partial credentials found in assume-role, missing: source_profile or credential_source",
				Fix: "add source_profile = PROFILE or credential_source = Environment, Ec2InstanceMetadata or EcsContainer"}
		case hasCS:
			kind, ok := credentialSource(cs)
			if !ok {
				return nil, &ProfileError{Profile: cur.Name, Key: "credential_source", named: true,
					Msg: fmt.Sprintf("The credential source %q referenced in profile %q is not valid.", cs, cur.Name),
					Fix: "use exactly Environment, Ec2InstanceMetadata or EcsContainer (case matters)"}
			}
			src := Source{Kind: kind, Profile: cur.Name,
				RoleSession: kind != SourceEnvironment || r.in.EnvHasSessionToken}
			return r.finish(src, outer)
		}
		next, ok := r.cfg.Profile(sp)
		if !ok {
			return nil, &ProfileError{Profile: cur.Name, Key: "source_profile", named: true,
				Msg: fmt.Sprintf("The source_profile %q referenced in the profile %q does not exist.", sp, cur.Name),
				Fix: fmt.Sprintf("add a [profile %s] section or correct source_profile in profile %q", sp, cur.Name)}
		}
		// A profile may name itself only to assume its role with its own
		// static keys; any other revisit would recurse for ever.
		if slices.Contains(visited, sp) && !(sp == cur.Name && cur.hasStatic()) {
			return nil, &ProfileError{Profile: cur.Name, Key: "source_profile", named: true,
				Msg: fmt.Sprintf("Infinite loop in credential configuration detected. Attempting to load from profile %s which has already been visited. Visited profiles: %s", sp, pyList(visited)),
				Fix: fmt.Sprintf("point source_profile of profile %q at a profile with credentials", cur.Name)}
		}
		visited = append(visited, sp)
		s.read(next)
		// Static keys beat the source's own role_arn: the CLI reads them
		// with the profile providers and does not assume the source's role.
		if s.hasStatic() || !s.isAssumeRole() {
			src, found, err := r.base(&s)
			if err != nil {
				return nil, err
			}
			if !found {
				return nil, &ProfileError{Profile: s.Name, named: true,
					Msg: fmt.Sprintf("The source profile %q must have credentials.", s.Name),
					Fix: fmt.Sprintf("give profile %q aws_access_key_id and aws_secret_access_key, sso_session or credential_process, or point source_profile of profile %q elsewhere", s.Name, cur.Name)}
			}
			return r.finish(src, outer)
		}
		outer = append(outer, s)
	}
}

// credentialSource returns the kind of a credential_source value, compared
// case-sensitively as the CLI does.
func credentialSource(v string) (SourceKind, bool) {
	switch v {
	case "Environment":
		return SourceEnvironment, true
	case "Ec2InstanceMetadata":
		return SourceEc2InstanceMetadata, true
	case "EcsContainer":
		return SourceEcsContainer, true
	}
	return SourceNone, false
}

// planBlock holds a plan together with its hops (H, an array) and bounds,
// so that the usual plan, one or two hops, is one allocation instead of
// three: every profile is planned at start-up.
type planBlock[H any] struct {
	plan Plan
	hops H
	all  [maxBounds]Bound
}

// maxBounds is the most bounds a plan has: floor, ceiling, role maximum and
// role chaining.
const maxBounds = 4

// newPlan returns an empty plan with room for n hops and every bound.
func newPlan(n int) (plan *Plan, all []Bound) {
	switch n {
	case 1:
		b := new(planBlock[[1]Hop])
		b.plan.Hops = b.hops[:0]
		return &b.plan, b.all[:0]
	case 2:
		b := new(planBlock[[2]Hop])
		b.plan.Hops = b.hops[:0]
		return &b.plan, b.all[:0]
	}
	return &Plan{Hops: make([]Hop, 0, n)}, make([]Bound, 0, maxBounds)
}

// finish turns the hop profiles (outermost first) into hops innermost
// first, checks each hop's parameters in call order, and sets the bounds.
func (r *resolver) finish(src Source, outer []profile) (*Plan, error) {
	sel := &outer[0]
	plan, all := newPlan(len(outer))
	plan.Profile, plan.Region, plan.Source = sel.Name, sel.value(keyRegion), src
	for i := len(outer) - 1; i >= 0; i-- {
		h, err := r.hop(&outer[i])
		if err != nil {
			return nil, err
		}
		// STS caps a session at 1h when its caller is itself a role
		// session: every hop after the first, and the first when the base
		// is a role session.
		h.Chained = len(plan.Hops) > 0 || src.RoleSession
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
	if err := r.bounds(plan, all, outer); err != nil {
		return nil, err
	}
	plan.Warnings = r.warnings
	return plan, nil
}

// hop reads one AssumeRole call's parameters from profile p, and notes the
// role's name and account in p for the chain.
func (r *resolver) hop(p *profile) (Hop, error) {
	h := Hop{
		Profile:         p.Name,
		RoleARN:         p.value(keyRoleARN),
		ExternalID:      p.value(keyExternalID),
		RoleSessionName: p.value(keyRoleSessionName),
		MFASerial:       p.value(keyMFASerial),
		SourceIdentity:  p.value(keySourceIdentity),
	}
	p.roleName, p.account = roleParts(h.RoleARN)
	if p.roleName == "" {
		r.warn("profile %q: role_arn %q is not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME); STS will refuse it", p.Name, h.RoleARN)
	}
	if v, ok := p.get(keyRoleSessionName); ok {
		if err := ValidateSessionName(v); err != nil {
			return h, &ProfileError{Profile: p.Name, Key: "role_session_name",
				Msg: "role_session_name: " + err.Error()}
		}
	}
	if v, ok := p.get(keySourceIdentity); ok {
		if err := ValidateSourceIdentity(v); err != nil {
			return h, &ProfileError{Profile: p.Name, Key: "source_identity",
				Msg: "source_identity: " + err.Error()}
		}
	}
	if v, ok := p.get(keyDurationSeconds); ok {
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

// The bounds every plan with hops has.
var (
	floorBound   = Bound{Kind: BoundFloor, Seconds: stsMinSeconds, Reason: "the STS minimum (900 s)"}
	ceilingBound = Bound{Kind: BoundCeiling, Seconds: stsMaxSeconds, Reason: "the STS maximum (43200 s)"}
)

// bounds sets plan.Bounds, with all as the room for them, plan.Default and
// plan.Chain. outer are the hop profiles, outermost (the selected) first.
func (r *resolver) bounds(plan *Plan, all []Bound, outer []profile) error {
	sel := &outer[0]
	last := plan.Last()
	all = append(all, floorBound, ceilingBound)
	roleMax, maxFrom := Bound{Kind: BoundRoleMax}, noMax
	if v, ok := sel.get(keyMaxSessionDuration); ok {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n < defaultSeconds || n > stsMaxSeconds {
			return &ProfileError{Profile: sel.Name, Key: "rolesw_max_session_duration",
				Msg: fmt.Sprintf("rolesw_max_session_duration %q is not a whole number of seconds from 3600 to 43200", v),
				Fix: "set it to the role's MaxSessionDuration in seconds, e.g. 14400 for 4h"}
		}
		roleMax.Seconds, maxFrom = n, maxFromProfile
	} else if n, ok := r.in.LearnedMax[last.RoleARN]; ok && n >= stsMinSeconds {
		// The profile key wins over a learned value: it is the user's own
		// statement, and editing it is how a stale learned value is fixed.
		roleMax.Seconds, roleMax.Reason, maxFrom = n, "the role's maximum (learned from STS)", maxLearned
	}
	var chainingReason, maxReason string
	plan.Chain, chainingReason, maxReason = texts(plan.Source, outer, last.Chained, maxFrom == maxFromProfile)
	if maxFrom != noMax {
		if maxFrom == maxFromProfile {
			roleMax.Reason = maxReason
		}
		all = append(all, roleMax)
	}
	if last.Chained {
		all = append(all, Bound{Kind: BoundChaining, Seconds: chainingMaxSeconds, Reason: chainingReason})
	}
	all = all[:len(all):len(all)]
	// The smallest upper bound is the effective one; on a tie the later,
	// more specific reason is shown.
	hi := all[1]
	for _, b := range all[2:] {
		if b.Seconds <= hi.Seconds {
			hi = b
		}
	}
	plan.Bounds = Bounds{Min: floorBound, Max: hi, All: all}

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

// Where a role maximum comes from.
const (
	noMax = iota
	maxFromProfile
	maxLearned
)
