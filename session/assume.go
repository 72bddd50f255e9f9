package session

import (
	"context"
	"errors"
	"fmt"
	"os/user"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/aws/smithy-go"

	"github.com/rolesw/rolesw/roles"
)

// Assume fetches the plan's base credentials and makes one sts:AssumeRole
// per hop, innermost first, each signed with the previous hop's
// credentials. The chosen duration goes to the last hop only; earlier hops
// send their own duration_seconds, or none (STS then grants 3600 s, as for
// the AWS CLI). A duration outside plan.Bounds is refused before any
// request. When STS refuses the last hop's duration as above the role's
// MaxSessionDuration, Assume retries one hour lower, down to 1h, and
// records the first duration granted as the role's maximum.
func (c *Client) Assume(ctx context.Context, plan *roles.Plan, req Request) (*Result, error) {
	if plan == nil {
		return nil, errors.New("assume: no plan")
	}
	last := plan.Last()
	dur := req.Duration
	if dur == 0 {
		dur = plan.Default
	}
	if last != nil {
		if err := plan.Bounds.Check(dur); err != nil {
			return nil, err
		}
		if dur < time.Second {
			return nil, fmt.Errorf("profile %s: no session duration chosen and the plan has no default", plan.Profile)
		}
	}
	if req.SessionName != "" {
		if err := roles.ValidateSessionName(req.SessionName); err != nil {
			return nil, err
		}
	}
	if req.SourceIdentity != "" {
		if err := roles.ValidateSourceIdentity(req.SourceIdentity); err != nil {
			return nil, err
		}
	}
	now := c.opts.Now()
	generated := roles.DefaultSessionName(c.user(), now)
	t := c.target(plan.Profile, plan.Region)
	res := &Result{Profile: plan.Profile, Region: c.region(plan.Region)}
	if res.Region == globalRegion {
		res.Region = ""
	}

	baseName := req.SessionName
	if baseName == "" {
		baseName = generated
	}
	creds, err := c.baseCredentials(ctx, plan, t, baseName)
	if err != nil {
		return nil, err
	}
	if last == nil {
		// The profile is its own base (keys, SSO, process): its
		// credentials are the result, and the caller identity names them.
		res.Credentials = creds
		if id, err := c.identify(ctx, t, staticProvider(creds)); err == nil {
			res.AssumedRoleARN = id.ARN
		} else {
			c.debugf("identity of %s unknown: %v", plan.Profile, err)
		}
		return res, nil
	}

	for i := range plan.Hops {
		hop := &plan.Hops[i]
		isLast := i == len(plan.Hops)-1
		in := &sts.AssumeRoleInput{
			RoleArn:         aws.String(hop.RoleARN),
			RoleSessionName: aws.String(firstNonEmpty(req.SessionName, hop.RoleSessionName, generated)),
		}
		if hop.ExternalID != "" {
			in.ExternalId = aws.String(hop.ExternalID)
		}
		if si := firstNonEmpty(req.SourceIdentity, hop.SourceIdentity); si != "" {
			in.SourceIdentity = aws.String(si)
		}
		if hop.MFASerial != "" {
			code, err := c.mfaCode(ctx, req, hop)
			if err != nil {
				return nil, err
			}
			in.SerialNumber, in.TokenCode = aws.String(hop.MFASerial), aws.String(code)
		}
		switch {
		case isLast:
			in.DurationSeconds = aws.Int32(int32(dur / time.Second))
		case hop.DurationSeconds > 0:
			in.DurationSeconds = aws.Int32(int32(hop.DurationSeconds))
		}
		var fresh func(refused, next int) (string, error)
		if isLast && in.TokenCode != nil {
			fresh = c.freshMFA(ctx, req, plan.Profile, hop)
		}
		out, learned, err := c.assumeHop(ctx, t, creds, in, isLast, fresh)
		if ask, ok := err.(askError); ok {
			return nil, ask.error
		}
		if err != nil {
			return nil, &CallError{Action: "AssumeRole", RoleARN: hop.RoleARN, Profile: hop.Profile,
				SourceProfile: plan.Source.Profile, URL: t.URL(), Err: err}
		}
		creds = fromSTS(out.Credentials)
		if isLast {
			res.Credentials = creds
			res.RoleARN = hop.RoleARN
			if out.AssumedRoleUser != nil {
				res.AssumedRoleARN = aws.ToString(out.AssumedRoleUser.Arn)
			}
			res.Granted = time.Duration(aws.ToInt32(in.DurationSeconds)) * time.Second
			if learned > 0 {
				res.LearnedMaxSeconds = learned
				if c.opts.Store != nil {
					if err := c.opts.Store.LearnMax(hop.RoleARN, learned); err != nil {
						c.debugf("cannot save the learned maximum of %s: %v", hop.RoleARN, err)
					}
				}
			}
		}
	}
	return res, nil
}

// assumeHop makes one AssumeRole call signed with creds. For the last hop
// it steps the duration down an hour at a time while STS says it exceeds
// the role's MaxSessionDuration; learned is the duration that was then
// granted (0 when the first ask succeeded). in.DurationSeconds is left at
// the duration used.
//
// An MFA hop's retry first sends the same code: an STS that refused the
// duration before looking at the code has not spent it. When STS refuses
// that code, codes are single-use and every later try asks fresh for the
// device's next one.
func (c *Client) assumeHop(ctx context.Context, t stsTarget, creds Credentials, in *sts.AssumeRoleInput, learn bool,
	fresh func(refused, next int) (string, error)) (*sts.AssumeRoleOutput, int, error) {
	client := c.stsClient(t, staticProvider(creds))
	learned, refused := 0, 0
	reused, spent := false, false
	for {
		c.debugf("AssumeRole %s at %s signed by %s, session %s, duration %s", aws.ToString(in.RoleArn), t.URL(), creds,
			aws.ToString(in.RoleSessionName), durationField(in.DurationSeconds))
		out, err := client.AssumeRole(ctx, in)
		if err == nil {
			if out.Credentials == nil || aws.ToString(out.Credentials.AccessKeyId) == "" {
				return nil, 0, errors.New("STS answered without credentials")
			}
			c.debugf("AssumeRole %s granted %s until %s", aws.ToString(in.RoleArn), MaskKey(aws.ToString(out.Credentials.AccessKeyId)),
				aws.ToTime(out.Credentials.Expiration).UTC().Format(time.RFC3339))
			return out, learned, nil
		}
		secs := int(aws.ToInt32(in.DurationSeconds))
		if reused && mfaRefused(err) {
			c.debugf("AssumeRole %s: STS did not take the MFA code a second time", aws.ToString(in.RoleArn))
			code, ferr := fresh(refused, secs)
			if ferr != nil {
				return nil, 0, askError{ferr}
			}
			in.TokenCode = aws.String(code)
			reused, spent = false, true
			continue
		}
		if !learn || !exceedsRoleMax(err) || secs <= 3600 {
			return nil, 0, err
		}
		// The largest whole hour below what was refused: role maxima are
		// set in hours in the console, so 2.5h refused tries 2h next.
		next := max((secs-1)/3600*3600, 3600)
		c.debugf("AssumeRole %s: %ds exceeds the role's maximum, trying %ds", aws.ToString(in.RoleArn), secs, next)
		in.DurationSeconds = aws.Int32(int32(next))
		learned, refused = next, secs
		switch {
		case in.TokenCode == nil:
		case spent:
			code, ferr := fresh(refused, next)
			if ferr != nil {
				return nil, 0, askError{ferr}
			}
			in.TokenCode = aws.String(code)
		default:
			reused = true
		}
	}
}

// askError is a failure to get a fresh MFA code: it is not an STS
// answer, so Assume returns it as it is rather than as a CallError.
type askError struct{ error }

// mfaRefused reports STS refusing an MFA code.
func mfaRefused(err error) bool {
	var api smithy.APIError
	return errors.As(err, &api) && api.ErrorCode() == "AccessDenied" &&
		strings.Contains(api.ErrorMessage(), "MultiFactorAuthentication")
}

// freshMFA asks req.NewMFACode for the next code of the hop's device,
// saying why; without NewMFACode it is an *MFASpentError.
func (c *Client) freshMFA(ctx context.Context, req Request, profile string, hop *roles.Hop) func(refused, next int) (string, error) {
	return func(refused, next int) (string, error) {
		r, n := time.Duration(refused)*time.Second, time.Duration(next)*time.Second
		if req.NewMFACode == nil {
			return "", &MFASpentError{Profile: profile, RoleARN: hop.RoleARN, Refused: r, Next: n}
		}
		ask := MFAAsk{Serial: hop.MFASerial, Refused: r, Next: n,
			Why: fmt.Sprintf("%s allows less than %s; STS takes each MFA code once, so trying %s needs the next code",
				roles.RoleName(hop.RoleARN), roles.FormatDuration(r), roles.FormatDuration(n))}
		return c.mfaCode(ctx, Request{MFACode: func(ctx context.Context, _ string) (string, error) {
			return req.NewMFACode(ctx, ask)
		}}, hop)
	}
}

// exceedsRoleMax reports STS's refusal of a duration above the role's
// MaxSessionDuration (not the role-chaining limit, which no retry fixes).
func exceedsRoleMax(err error) bool {
	var api smithy.APIError
	return errors.As(err, &api) && api.ErrorCode() == "ValidationError" &&
		strings.Contains(api.ErrorMessage(), "exceeds the MaxSessionDuration")
}

// mfaCode asks req.MFACode for the hop's code and checks its shape before
// it is sent; the code itself never appears in an error.
func (c *Client) mfaCode(ctx context.Context, req Request, hop *roles.Hop) (string, error) {
	if req.MFACode == nil {
		return "", fmt.Errorf("profile %s: role %s needs an MFA code for %s; give one with --mfa-code", hop.Profile, hop.RoleARN, hop.MFASerial)
	}
	code, err := req.MFACode(ctx, hop.MFASerial)
	if err != nil {
		return "", fmt.Errorf("MFA code for %s: %w", hop.MFASerial, err)
	}
	code = strings.TrimSpace(code)
	if len(code) != 6 || strings.Trim(code, "0123456789") != "" {
		return "", fmt.Errorf("the MFA code for %s must be 6 digits", hop.MFASerial)
	}
	return code, nil
}

// user is the name in generated session names: $USER, %USERNAME%, else
// the OS account.
func (c *Client) user() string {
	if u := firstNonEmpty(c.env("USER"), c.env("USERNAME")); u != "" {
		return u
	}
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return ""
}

// fromSTS converts the credentials of an AssumeRole answer.
func fromSTS(t *types.Credentials) Credentials {
	return Credentials{
		AccessKeyID:     aws.ToString(t.AccessKeyId),
		SecretAccessKey: aws.ToString(t.SecretAccessKey),
		SessionToken:    aws.ToString(t.SessionToken),
		Expires:         aws.ToTime(t.Expiration),
	}
}

func durationField(d *int32) string {
	if d == nil {
		return "(omitted)"
	}
	return fmt.Sprintf("%ds", *d)
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
