package localsts

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// rawResponse is an answer read whole.
type rawResponse struct {
	status int
	header http.Header
	body   string
}

// rawPost sends body to srv signed by the SDK's own SigV4 signer with k,
// for service and region at signTime; k.id == "" sends no signature.
func rawPost(t *testing.T, srv *Server, body string, k keys, service, region string, signTime time.Time) rawResponse {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, srv.URL()+"/", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	if k.id != "" {
		sum := sha256.Sum256([]byte(body))
		creds := aws.Credentials{AccessKeyID: k.id, SecretAccessKey: k.secret, SessionToken: k.token}
		if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), service, region, signTime); err != nil {
			t.Fatal(err)
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return rawResponse{status: resp.StatusCode, header: resp.Header, body: string(b)}
}

const callerIdentityBody = "Action=GetCallerIdentity&Version=2011-06-15"

var uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestWireShapes(t *testing.T) {
	srv, _ := newTestServer(t)
	now := time.Now()

	ok := rawPost(t, srv, callerIdentityBody, alice, "sts", "us-east-1", now)
	id := ok.header.Get("x-amzn-RequestId")
	wantOK := `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">` +
		`<GetCallerIdentityResult><Arn>arn:aws:iam::111111111111:user/alice</Arn><UserId>AIDA`
	if ok.status != 200 || !strings.HasPrefix(ok.body, wantOK) ||
		!strings.HasSuffix(ok.body, "</UserId><Account>111111111111</Account></GetCallerIdentityResult>"+
			"<ResponseMetadata><RequestId>"+id+"</RequestId></ResponseMetadata></GetCallerIdentityResponse>") {
		t.Errorf("GetCallerIdentity answer %d:\n%s", ok.status, ok.body)
	}
	if !uuidRE.MatchString(id) {
		t.Errorf("x-amzn-RequestId = %q, want a UUID", id)
	}
	if ct := ok.header.Get("Content-Type"); ct != "text/xml" {
		t.Errorf("Content-Type = %q, want text/xml", ct)
	}

	tests := []struct {
		name   string
		body   string
		k      keys
		status int
		want   string // Code and Message of the ErrorResponse
	}{
		{name: "missing authentication", body: callerIdentityBody, status: 403,
			want: "<Code>MissingAuthenticationToken</Code><Message>Request is missing Authentication Token</Message>"},
		{name: "unknown action", body: "Action=GetFederationToken&Version=2011-06-15", k: alice, status: 400,
			want: "<Code>InvalidAction</Code><Message>Could not find operation GetFederationToken for version 2011-06-15</Message>"},
		{name: "wrong version", body: "Action=AssumeRole&Version=2012-01-01", k: alice, status: 400,
			want: "<Code>InvalidAction</Code><Message>Could not find operation AssumeRole for version 2012-01-01</Message>"},
		{name: "no action", body: "Version=2011-06-15", k: alice, status: 400,
			want: "<Code>MissingAction</Code><Message>Missing Action</Message>"},
		{name: "missing role arn", body: "Action=AssumeRole&Version=2011-06-15&RoleSessionName=ab", k: alice, status: 400,
			want: "<Code>ValidationError</Code><Message>1 validation error detected: Value null at &#39;roleArn&#39; failed to satisfy constraint: Member must not be null</Message>"},
		{name: "duration not a number", body: "Action=GetSessionToken&Version=2011-06-15&DurationSeconds=1h", k: alice, status: 400,
			want: "<Code>ValidationError</Code><Message>1 validation error detected: Value &#39;1h&#39; at &#39;durationSeconds&#39; failed to satisfy constraint: Member must be an integer</Message>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := rawPost(t, srv, tt.body, tt.k, "sts", "us-east-1", now)
			want := `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type>` +
				tt.want + `</Error><RequestId>` + got.header.Get("x-amzn-RequestId") + `</RequestId></ErrorResponse>`
			if got.status != tt.status || got.body != want {
				t.Errorf("answer %d:\n%s\nwant %d:\n%s", got.status, got.body, tt.status, want)
			}
		})
	}
}

func TestSignatureChecks(t *testing.T) {
	ctx := context.Background()
	srv, _ := newTestServer(t)
	now := time.Now().UTC()
	out, err := assume(ctx, client(srv, alice, 1), roleBasic, "sig")
	if err != nil {
		t.Fatal(err)
	}
	sess := sessionKeys(out)
	expiredID, expiredSecret, expiredToken := srv.IssueExpired(roleBasic)

	tests := []struct {
		name string
		k    keys
		code string
		msg  string
	}{
		{name: "wrong secret", k: keys{aliceKey, "wrong" + aliceSecret[5:], ""}, code: "SignatureDoesNotMatch",
			msg: "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."},
		{name: "unknown key", k: keys{"AKIAUNKNOWN000000000", aliceSecret, ""}, code: "InvalidClientTokenId",
			msg: "The security token included in the request is invalid."},
		{name: "session key without its token", k: keys{sess.id, sess.secret, ""}, code: "InvalidClientTokenId",
			msg: "The security token included in the request is invalid."},
		{name: "session key with another token", k: keys{sess.id, sess.secret, expiredToken}, code: "InvalidClientTokenId",
			msg: "The security token included in the request is invalid."},
		{name: "user key with a token", k: keys{aliceKey, aliceSecret, sess.token}, code: "InvalidClientTokenId",
			msg: "The security token included in the request is invalid."},
		{name: "expired session", k: keys{expiredID, expiredSecret, expiredToken}, code: "ExpiredToken",
			msg: "The security token included in the request is expired"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := client(srv, tt.k, 1).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
			if err == nil {
				t.Fatal("GetCallerIdentity succeeded, want an error")
			}
			got := asWireError(t, err)
			if want := (wireError{code: tt.code, msg: tt.msg, status: 403}); got != want {
				t.Errorf("error = %+v\nwant    %+v", got, want)
			}
			for _, secret := range []string{aliceSecret, sess.secret, sess.token, expiredSecret, expiredToken} {
				if strings.Contains(err.Error(), secret) {
					t.Fatal("the error shows a secret or a token")
				}
			}
		})
	}

	t.Run("clock skew", func(t *testing.T) {
		old := rawPost(t, srv, callerIdentityBody, alice, "sts", "us-east-1", now.Add(-6*time.Minute))
		if old.status != 403 || !strings.Contains(old.body, "<Code>SignatureDoesNotMatch</Code><Message>Signature expired: "+
			now.Add(-6*time.Minute).Format(amzDateLayout)+" is now earlier than ") {
			t.Errorf("signed 6 minutes ago: %d %s", old.status, old.body)
		}
		future := rawPost(t, srv, callerIdentityBody, alice, "sts", "us-east-1", now.Add(6*time.Minute))
		if future.status != 403 || !strings.Contains(future.body, "<Code>SignatureDoesNotMatch</Code><Message>Signature not yet current: ") {
			t.Errorf("signed 6 minutes ahead: %d %s", future.status, future.body)
		}
		recent := rawPost(t, srv, callerIdentityBody, alice, "sts", "us-east-1", now.Add(-4*time.Minute))
		if recent.status != 200 {
			t.Errorf("signed 4 minutes ago: %d %s, want 200", recent.status, recent.body)
		}
	})
	t.Run("wrong service in the scope", func(t *testing.T) {
		got := rawPost(t, srv, callerIdentityBody, alice, "iam", "us-east-1", now)
		if got.status != 403 || !strings.Contains(got.body, "<Code>SignatureDoesNotMatch</Code><Message>Credential should be scoped to correct service: &#39;sts&#39;.") {
			t.Errorf("signed for iam: %d %s", got.status, got.body)
		}
	})
	t.Run("any region is accepted and recorded", func(t *testing.T) {
		srv.Reset()
		if got := rawPost(t, srv, callerIdentityBody, alice, "sts", "ap-southeast-2", now); got.status != 200 {
			t.Fatalf("ap-southeast-2: %d %s", got.status, got.body)
		}
		if r := srv.Requests(); len(r) != 1 || r[0].Region != "ap-southeast-2" {
			t.Errorf("recorded %+v, want region ap-southeast-2", r)
		}
	})
	t.Run("GET with a query string", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodGet, srv.URL()+"/?Version=2011-06-15&Action=GetCallerIdentity", nil)
		sum := sha256.Sum256(nil)
		creds := aws.Credentials{AccessKeyID: aliceKey, SecretAccessKey: aliceSecret}
		if err := v4.NewSigner().SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), "sts", "us-east-1", now); err != nil {
			t.Fatal(err)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(b), "<Arn>arn:aws:iam::111111111111:user/alice</Arn>") {
			t.Errorf("GET: %d %s", resp.StatusCode, b)
		}
	})
	t.Run("incomplete Authorization header", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodPost, srv.URL()+"/", strings.NewReader(callerIdentityBody))
		req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+aliceKey+"/20261126/us-east-1/sts/aws4_request")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 400 || !strings.Contains(string(b), "<Code>IncompleteSignature</Code><Message>Authorization header requires &#39;SignedHeaders&#39; parameter</Message>") {
			t.Errorf("incomplete header: %d %s", resp.StatusCode, b)
		}
	})
	t.Run("body changed after signing", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodPost, srv.URL()+"/", strings.NewReader(callerIdentityBody))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
		sum := sha256.Sum256([]byte("Action=AssumeRole&Version=2011-06-15"))
		creds := aws.Credentials{AccessKeyID: aliceKey, SecretAccessKey: aliceSecret}
		if err := v4.NewSigner().SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), "sts", "us-east-1", now); err != nil {
			t.Fatal(err)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 403 {
			t.Errorf("status %d, want 403 SignatureDoesNotMatch", resp.StatusCode)
		}
	})
}

// TestServerClockSkewIsCorrectedBySDK: when the server's clock is ahead,
// the SDK sees SignatureDoesNotMatch plus the Date header, corrects its
// signing time and succeeds on the retry, as it does against AWS.
func TestServerClockSkewIsCorrectedBySDK(t *testing.T) {
	srv, err := Start(Options{Account: acct, SigningClock: func() time.Time { return time.Now().Add(20 * time.Minute) }})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	srv.AddUser(User{Name: "alice", AccessKeyID: aliceKey, SecretAccessKey: aliceSecret})

	ctx := context.Background()
	if _, err := client(srv, alice, 1).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); err == nil {
		t.Fatal("without retries a skewed request succeeded")
	} else if got := asWireError(t, err); got.code != "SignatureDoesNotMatch" || !strings.HasPrefix(got.msg, "Signature expired: ") {
		t.Errorf("error = %+v, want SignatureDoesNotMatch 'Signature expired'", got)
	}
	srv.Reset()
	if _, err := client(srv, alice, 3).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); err != nil {
		t.Fatalf("with retries: %v", err)
	}
	var errs []string
	for _, r := range srv.Requests() {
		errs = append(errs, r.Err)
	}
	if len(errs) != 2 || errs[0] != "SignatureDoesNotMatch" || errs[1] != "" {
		t.Errorf("attempts ended with %q, want a skew error then success", errs)
	}
}

func TestExpiryFollowsTheServerClock(t *testing.T) {
	ctx := context.Background()
	srv, clock := newTestServer(t)
	out, err := assume(ctx, client(srv, alice, 1), roleBasic, "ttl", withDuration(900))
	if err != nil {
		t.Fatal(err)
	}
	c := client(srv, sessionKeys(out), 1)
	clock.Advance(15*time.Minute - time.Second)
	if _, err := c.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); err != nil {
		t.Fatalf("a second before expiry: %v", err)
	}
	clock.Advance(time.Second)
	_, err = c.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	want := wireError{code: "ExpiredToken", msg: "The security token included in the request is expired", status: 403}
	if err == nil {
		t.Fatal("at expiry the session still worked")
	}
	if got := asWireError(t, err); got != want {
		t.Errorf("at expiry: %+v, want %+v", got, want)
	}
	// An expired session cannot be used to chain either.
	_, err = assume(ctx, c, roleThird, "late")
	if err == nil || asWireError(t, err).code != "ExpiredToken" {
		t.Errorf("AssumeRole with an expired session: %v, want ExpiredToken", err)
	}
}
