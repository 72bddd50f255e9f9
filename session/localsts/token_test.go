package localsts

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

func TestGetSessionToken(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name     string
		in       sts.GetSessionTokenInput
		wantLife time.Duration
		err      wireError
	}{
		{name: "default 12h", wantLife: 12 * time.Hour},
		{name: "36h maximum", in: sts.GetSessionTokenInput{DurationSeconds: aws.Int32(129600)}, wantLife: 36 * time.Hour},
		{name: "with mfa", in: sts.GetSessionTokenInput{SerialNumber: aws.String(roleAliceMFA), TokenCode: aws.String(mfaCode)},
			wantLife: 12 * time.Hour},
		{name: "below 900", in: sts.GetSessionTokenInput{DurationSeconds: aws.Int32(600)}, err: wireError{code: "ValidationError", status: 400,
			msg: "1 validation error detected: Value '600' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900"}},
		{name: "above 36h", in: sts.GetSessionTokenInput{DurationSeconds: aws.Int32(129601)}, err: wireError{code: "ValidationError", status: 400,
			msg: "1 validation error detected: Value '129601' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 129600"}},
		{name: "wrong mfa code", in: sts.GetSessionTokenInput{SerialNumber: aws.String(roleAliceMFA), TokenCode: aws.String("000000")},
			err: wireError{code: "AccessDenied", status: 403, msg: "MultiFactorAuthentication failed with invalid MFA one time pass code."}},
		{name: "code without serial", in: sts.GetSessionTokenInput{TokenCode: aws.String(mfaCode)},
			err: wireError{code: "AccessDenied", status: 403, msg: "MultiFactorAuthentication failed, must provide both MFA serial number and one time pass code."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, _ := newTestServer(t)
			out, err := client(srv, alice, 1).GetSessionToken(ctx, &tt.in)
			if tt.err.code != "" {
				if err == nil {
					t.Fatal("GetSessionToken succeeded, want an error")
				}
				if got := asWireError(t, err); got != tt.err {
					t.Errorf("error = %+v\nwant    %+v", got, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !sessionKeyRE.MatchString(aws.ToString(out.Credentials.AccessKeyId)) {
				t.Errorf("AccessKeyId = %q", aws.ToString(out.Credentials.AccessKeyId))
			}
			if got, want := aws.ToTime(out.Credentials.Expiration), fixedStart.Add(tt.wantLife); !got.Equal(want) {
				t.Errorf("Expiration = %v, want %v", got, want)
			}
		})
	}
}

func TestSessionTokenCredentials(t *testing.T) {
	ctx := context.Background()
	srv, _ := newTestServer(t)
	gst, err := client(srv, alice, 1).GetSessionToken(ctx, &sts.GetSessionTokenInput{
		SerialNumber: aws.String(roleAliceMFA), TokenCode: aws.String(mfaCode),
	})
	if err != nil {
		t.Fatal(err)
	}
	c := gst.Credentials
	k := keys{aws.ToString(c.AccessKeyId), aws.ToString(c.SecretAccessKey), aws.ToString(c.SessionToken)}
	sc := client(srv, k, 1)

	who, err := sc.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	if got := aws.ToString(who.Arn); got != "arn:aws:iam::111111111111:user/alice" {
		t.Errorf("identity of a session token = %q, want the user", got)
	}
	// Not role chaining: more than an hour is fine.
	if _, err := assume(ctx, sc, roleLong, "from-gst", withDuration(7200)); err != nil {
		t.Errorf("AssumeRole 2h with GetSessionToken credentials: %v", err)
	}
	// The MFA of the session token satisfies a role that requires MFA.
	if _, err := assume(ctx, sc, roleMFA, "mfa-by-session"); err != nil {
		t.Errorf("MFA role with an MFA session token: %v", err)
	}
	_, err = sc.GetSessionToken(ctx, &sts.GetSessionTokenInput{})
	want := wireError{code: "AccessDenied", status: 403, msg: "Cannot call GetSessionToken with session credentials"}
	if err == nil {
		t.Fatal("GetSessionToken with session credentials succeeded")
	}
	if got := asWireError(t, err); got != want {
		t.Errorf("error = %+v, want %+v", got, want)
	}

	// Without MFA, a session token does not satisfy the MFA role.
	plain, err := client(srv, alice, 1).GetSessionToken(ctx, &sts.GetSessionTokenInput{})
	if err != nil {
		t.Fatal(err)
	}
	pc := plain.Credentials
	pk := keys{aws.ToString(pc.AccessKeyId), aws.ToString(pc.SecretAccessKey), aws.ToString(pc.SessionToken)}
	if _, err := assume(ctx, client(srv, pk, 1), roleMFA, "no-mfa"); err == nil || asWireError(t, err).code != "AccessDenied" {
		t.Errorf("MFA role with a plain session token: %v, want AccessDenied", err)
	}
}
