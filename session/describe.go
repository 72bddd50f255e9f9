package session

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/rolesw/rolesw/roles"
)

// ErrNoCredentials means rolesw found no credentials of its own.
var ErrNoCredentials = errors.New("no AWS credentials found (no AWS_ACCESS_KEY_ID, no profile with credentials)")

// CallError is a failed STS call, with what Describe needs to explain it.
type CallError struct {
	// Action is the STS action: "AssumeRole" or "GetCallerIdentity".
	Action string
	// RoleARN and Profile name the hop's role and the profile naming it.
	RoleARN, Profile string
	// SourceProfile is the profile whose credentials signed the chain.
	SourceProfile string
	// URL is the STS endpoint the call went to.
	URL string
	Err error
}

func (e *CallError) Error() string {
	if e.RoleARN != "" {
		return fmt.Sprintf("sts %s of %s at %s: %v", e.Action, e.RoleARN, e.URL, e.Err)
	}
	return fmt.Sprintf("sts %s at %s: %v", e.Action, e.URL, e.Err)
}

func (e *CallError) Unwrap() error { return e.Err }

// SourceError is a failure to get the base credentials of a plan.
type SourceError struct {
	// Profile is the profile that provides (or names) the source.
	Profile string
	// Kind says what the source is: "static keys", "credential_process",
	// "SSO", "web identity", "Environment", "Ec2InstanceMetadata",
	// "EcsContainer".
	Kind string
	Err  error
}

func (e *SourceError) Error() string {
	return fmt.Sprintf("source credentials of profile %s (%s): %v", e.Profile, e.Kind, e.Err)
}

func (e *SourceError) Unwrap() error { return e.Err }

// expiredCodes are the error codes that mean "these credentials expired"
// across STS (ExpiredToken), JSON services and web identity
// (ExpiredTokenException) and EC2 (RequestExpired).
var expiredCodes = map[string]bool{"ExpiredToken": true, "ExpiredTokenException": true, "RequestExpired": true}

var throttleCodes = map[string]bool{"Throttling": true, "ThrottlingException": true, "RequestLimitExceeded": true, "TooManyRequestsException": true}

// Describe turns an error of this package into words for a user: what was
// refused, by whom, why, and what to do. It never includes a secret: the
// errors it reads carry none.
func Describe(err error) string {
	if err == nil {
		return ""
	}
	var be *roles.BoundError
	if errors.As(err, &be) {
		return "duration refused: " + be.Error()
	}
	var ce *CallError
	if errors.As(err, &ce) {
		return describeCall(ce)
	}
	var se *SourceError
	if errors.As(err, &se) {
		return se.Error()
	}
	return err.Error()
}

func describeCall(ce *CallError) string {
	what := ce.Action
	if ce.RoleARN != "" {
		what += " of " + ce.RoleARN
	}
	source := ce.SourceProfile
	if source == "" {
		source = ce.Profile
	}
	var api smithy.APIError
	switch {
	case errors.Is(ce.Err, context.Canceled):
		return what + " cancelled"
	case errors.Is(ce.Err, context.DeadlineExceeded):
		return fmt.Sprintf("no answer from STS at %s in time for %s; check the network or the endpoint", ce.URL, what)
	case errors.As(ce.Err, &api):
		code, msg := api.ErrorCode(), api.ErrorMessage()
		line := fmt.Sprintf("STS refused %s (%s): %s", what, code, msg)
		if h := hint(code, msg, source); h != "" {
			line += "; " + h
		}
		return line
	}
	var send *smithyhttp.RequestSendError
	if errors.As(ce.Err, &send) {
		return fmt.Sprintf("cannot reach STS at %s: %v", ce.URL, rootCause(send.Err))
	}
	// An answer that is neither the result nor an error document: a
	// proxy page, a truncated body, another service at the endpoint.
	var de *smithy.DeserializationError
	var re *smithyhttp.ResponseError
	if errors.As(ce.Err, &de) || errors.As(ce.Err, &re) {
		status := ""
		if re != nil {
			status = fmt.Sprintf(" (HTTP %d)", re.HTTPStatusCode())
		}
		return fmt.Sprintf("STS at %s answered %s with something rolesw cannot read%s; is it an STS endpoint?", ce.URL, ce.Action, status)
	}
	return fmt.Sprintf("%s at %s failed: %v", what, ce.URL, rootCause(ce.Err))
}

// hint is the advice for an STS error code.
func hint(code, msg, source string) string {
	who := "your source credentials"
	if source != "" {
		who = "your source credentials for " + source
	}
	switch {
	case expiredCodes[code]:
		login := "aws sso login"
		if source != "" {
			login += " --profile " + source
		}
		return fmt.Sprintf("%s expired; refresh them (%s, or new keys)", who, login)
	case code == "AccessDenied" && strings.Contains(msg, "MultiFactorAuthentication"):
		return "check the MFA code (use a fresh one) and the profile's mfa_serial"
	case code == "AccessDenied":
		return "the role's trust policy must allow the caller, and the caller needs permission for sts:AssumeRole on the role"
	case code == "SignatureDoesNotMatch" && strings.Contains(msg, "Signature expired"):
		return "your computer's clock is off; correct it (enable time sync) and retry"
	case code == "SignatureDoesNotMatch":
		return "the secret access key of " + strings.TrimPrefix(who, "your ") + " does not match its key id"
	case code == "InvalidClientTokenId":
		return "the access key of " + strings.TrimPrefix(who, "your ") + " is unknown to AWS or deactivated"
	case throttleCodes[code]:
		return "STS is throttling requests; try again in a moment"
	case code == "ValidationError" && strings.Contains(msg, "role chaining"):
		return "a role assumed with role credentials lasts at most 1h; pick 1h or less"
	case code == "ValidationError" && strings.Contains(msg, "MaxSessionDuration"):
		return "pick a shorter duration, or raise the role's maximum session duration in IAM"
	case code == "RegionDisabledException":
		return "activate STS for this region in the account settings of IAM, or use another region"
	}
	return ""
}

// rootCause is the innermost error, which is the part a person can act
// on ("connection refused"), without the SDK's wrapping.
func rootCause(err error) error {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err
		}
		err = next
	}
}
