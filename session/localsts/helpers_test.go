package localsts

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
)

const (
	acct      = "111111111111"
	otherAcct = "222222222222"
	aliceKey  = "AKIAALICE00000000001"
	// aliceSecret is a test-only secret; it is never printed by the tests.
	aliceSecret = "alice/secret/0123456789abcdefghijklmnopq"
	bobKey      = "AKIABOB0000000000001"
	bobSecret   = "bob/secret/0123456789abcdefghijklmnopqrst"

	roleBasic    = "arn:aws:iam::111111111111:role/basic"
	roleLong     = "arn:aws:iam::222222222222:role/team/long"
	roleExternal = "arn:aws:iam::222222222222:role/vendor"
	roleMFA      = "arn:aws:iam::111111111111:role/admin"
	roleAliceMFA = "arn:aws:iam::111111111111:mfa/alice"
	roleOnlyBob  = "arn:aws:iam::111111111111:role/bob-only"
	roleThird    = "arn:aws:iam::333333333333:role/third"
	mfaCode      = "123456"
	externalID   = "ext-4242"
)

// fakeClock is a settable clock for Options.Now.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// fixedStart is the fake clock's start; whole seconds, as Expiration is.
var fixedStart = time.Date(2026, 11, 26, 17, 26, 6, 0, time.UTC)

// newTestServer starts a server with users alice and bob and a set of
// roles, closed when the test ends.
func newTestServer(t *testing.T) (*Server, *fakeClock) {
	t.Helper()
	clock := &fakeClock{t: fixedStart}
	srv, err := Start(Options{Now: clock.Now, Account: acct})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := srv.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	srv.AddUser(User{Name: "alice", AccessKeyID: aliceKey, SecretAccessKey: aliceSecret})
	srv.AddUser(User{Name: "bob", Account: otherAcct, AccessKeyID: bobKey, SecretAccessKey: bobSecret})
	srv.AddRole(Role{ARN: roleBasic})
	srv.AddRole(Role{ARN: roleLong, MaxSessionDuration: 12 * time.Hour})
	srv.AddRole(Role{ARN: roleExternal, ExternalID: externalID, MaxSessionDuration: 4 * time.Hour})
	srv.AddRole(Role{ARN: roleMFA, MFASerial: roleAliceMFA, MaxSessionDuration: 8 * time.Hour})
	srv.AddRole(Role{ARN: roleOnlyBob, Trust: func(caller string) bool {
		return caller == "arn:aws:iam::222222222222:user/bob"
	}})
	srv.AddRole(Role{ARN: roleThird})
	srv.SetMFACode(roleAliceMFA, mfaCode)
	return srv, clock
}

type keys struct{ id, secret, token string }

var alice = keys{aliceKey, aliceSecret, ""}

// noBackoff retries at once, so retry tests take no wall-clock time.
func noBackoff(attempts int) aws.Retryer {
	return retry.NewStandard(func(o *retry.StandardOptions) {
		o.MaxAttempts = attempts
		o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
	})
}

// client is a real SDK STS client pointed at srv, signing with k. attempts
// is the SDK's MaxAttempts (1: no retries).
func client(srv *Server, k keys, attempts int) *sts.Client {
	return sts.NewFromConfig(aws.Config{
		Region:       "eu-west-1",
		Credentials:  credentials.NewStaticCredentialsProvider(k.id, k.secret, k.token),
		BaseEndpoint: aws.String(srv.URL()),
		Retryer:      func() aws.Retryer { return noBackoff(attempts) },
	})
}

func sessionKeys(out *sts.AssumeRoleOutput) keys {
	c := out.Credentials
	return keys{aws.ToString(c.AccessKeyId), aws.ToString(c.SecretAccessKey), aws.ToString(c.SessionToken)}
}

// apiError unpacks the SDK error as the user's code would see it.
type wireError struct {
	code, msg string
	status    int
}

func asWireError(t *testing.T, err error) wireError {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("error %v is not a smithy.APIError", err)
	}
	w := wireError{code: ae.ErrorCode(), msg: ae.ErrorMessage()}
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		w.status = re.HTTPStatusCode()
	}
	return w
}

func assume(ctx context.Context, c *sts.Client, role, name string, mods ...func(*sts.AssumeRoleInput)) (*sts.AssumeRoleOutput, error) {
	in := &sts.AssumeRoleInput{RoleArn: aws.String(role), RoleSessionName: aws.String(name)}
	for _, m := range mods {
		m(in)
	}
	return c.AssumeRole(ctx, in)
}

func withDuration(s int32) func(*sts.AssumeRoleInput) {
	return func(in *sts.AssumeRoleInput) { in.DurationSeconds = aws.Int32(s) }
}

// mfa sends serial and code (each only when non-empty).
func mfa(serial, code string) func(*sts.AssumeRoleInput) {
	return func(in *sts.AssumeRoleInput) {
		if serial != "" {
			in.SerialNumber = aws.String(serial)
		}
		if code != "" {
			in.TokenCode = aws.String(code)
		}
	}
}
