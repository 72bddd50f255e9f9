package localsts

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
)

func TestFaults(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name    string
		fault   Fault
		check   func(t *testing.T, err error)
		wantErr string // recorded Err
	}{
		{name: "http 500", fault: Fault{Kind: FaultHTTP500}, wantErr: "InternalFailure",
			check: func(t *testing.T, err error) {
				if got := asWireError(t, err); got.code != "InternalFailure" || got.status != 500 {
					t.Errorf("error = %+v, want InternalFailure 500", got)
				}
			}},
		{name: "throttle", fault: Fault{Kind: FaultThrottle}, wantErr: "Throttling",
			check: func(t *testing.T, err error) {
				if got := asWireError(t, err); got != (wireError{code: "Throttling", msg: "Rate exceeded", status: 400}) {
					t.Errorf("error = %+v, want Throttling 'Rate exceeded' 400", got)
				}
			}},
		{name: "close", fault: Fault{Kind: FaultClose}, wantErr: OutcomeClosed,
			check: func(t *testing.T, err error) {
				var ae smithy.APIError
				if err == nil || errors.As(err, &ae) {
					t.Errorf("error = %v, want a transport error", err)
				}
			}},
		{name: "malformed", fault: Fault{Kind: FaultMalformed}, wantErr: OutcomeMalformed,
			check: func(t *testing.T, err error) {
				var ae smithy.APIError
				var re *awshttp.ResponseError
				if errors.As(err, &ae) || !errors.As(err, &re) || re.HTTPStatusCode() != 200 ||
					!strings.Contains(err.Error(), "XML syntax error") {
					t.Errorf("error = %v, want an XML syntax error on a 200 answer", err)
				}
			}},
		{name: "slow answers normally", fault: Fault{Kind: FaultSlow, Delay: time.Millisecond}, wantErr: "",
			check: func(t *testing.T, err error) {
				if err != nil {
					t.Errorf("error = %v, want success after the delay", err)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, _ := newTestServer(t)
			srv.Inject(tt.fault)
			c := client(srv, alice, 1)
			_, err := c.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
			tt.check(t, err)
			// The fault is used up: the next call works.
			if _, err := c.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); err != nil {
				t.Errorf("the call after the fault: %v", err)
			}
			reqs := srv.Requests()
			if len(reqs) != 2 || reqs[0].Err != tt.wantErr || reqs[1].Err != "" {
				t.Errorf("recorded %+v, want Err %q then success", reqs, tt.wantErr)
			}
		})
	}
}

func TestFaultsCountAndAction(t *testing.T) {
	ctx := context.Background()
	srv, _ := newTestServer(t)
	srv.Inject(Fault{Action: "AssumeRole", Kind: FaultThrottle, Count: 2})

	// The fault waits for its action.
	if _, err := client(srv, alice, 1).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); err != nil {
		t.Fatalf("GetCallerIdentity under an AssumeRole fault: %v", err)
	}
	// The SDK retries throttling; two faults then success within 3 attempts.
	if _, err := assume(ctx, client(srv, alice, 3), roleBasic, "retried"); err != nil {
		t.Fatalf("AssumeRole with retries: %v", err)
	}
	var got []string
	for _, r := range srv.Requests() {
		got = append(got, r.Action+":"+r.Err)
	}
	want := []string{"GetCallerIdentity:", "AssumeRole:Throttling", "AssumeRole:Throttling", "AssumeRole:"}
	if !slices.Equal(got, want) {
		t.Errorf("requests %q, want %q", got, want)
	}
	if n := srv.Count("AssumeRole"); n != 3 {
		t.Errorf("Count(AssumeRole) = %d, want 3", n)
	}
}

// TestLatencyHonoursContext: a deadline shorter than the server's latency
// ends the call with the context's error, without waiting the latency out.
func TestLatencyHonoursContext(t *testing.T) {
	for _, tt := range []struct {
		name  string
		setup func(*Server)
	}{
		{"latency", func(s *Server) { s.SetLatency(time.Hour) }},
		{"slow fault", func(s *Server) { s.Inject(Fault{Kind: FaultSlow, Delay: time.Hour}) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv, _ := newTestServer(t)
			tt.setup(srv)
			ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
			defer cancel()
			start := time.Now()
			_, err := client(srv, alice, 1).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("error = %v, want context.DeadlineExceeded", err)
			}
			// A generous bound: the point is "not an hour", not a speed.
			if d := time.Since(start); d > 30*time.Second {
				t.Errorf("call took %v", d)
			}
			// Close waits for the handler, which must have given up.
			if err := srv.Close(); err != nil {
				t.Fatal(err)
			}
			if r := srv.Requests(); len(r) != 1 || r[0].Err != OutcomeClientGone {
				t.Errorf("recorded %+v, want Err %q", r, OutcomeClientGone)
			}
		})
	}
}

// TestCloseEndsPendingWaits: Close does not wait out a latency a client is
// still waiting for.
func TestCloseEndsPendingWaits(t *testing.T) {
	srv, _ := newTestServer(t)
	srv.SetLatency(time.Hour)
	errc := make(chan error, 1)
	go func() {
		_, err := client(srv, alice, 1).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
		errc <- err
	}()
	for srv.Count("GetCallerIdentity") == 0 {
		time.Sleep(time.Millisecond) // polling for the request to arrive
	}
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-errc; err == nil {
		t.Error("the call succeeded after Close")
	}
}

func TestRequestsRecording(t *testing.T) {
	ctx := context.Background()
	srv, _ := newTestServer(t)
	out, err := assume(ctx, client(srv, alice, 1), roleMFA, "rec", func(in *sts.AssumeRoleInput) {
		in.SerialNumber, in.TokenCode = aws.String(roleAliceMFA), aws.String(mfaCode)
		in.DurationSeconds = aws.Int32(1800)
	})
	if err != nil {
		t.Fatal(err)
	}
	sess := sessionKeys(out)
	if _, err := client(srv, sess, 1).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); err != nil {
		t.Fatal(err)
	}

	reqs := srv.Requests()
	if len(reqs) != 2 {
		t.Fatalf("recorded %d requests, want 2", len(reqs))
	}
	a := reqs[0]
	wantParams := map[string]string{
		"Action": "AssumeRole", "Version": "2011-06-15", "RoleArn": roleMFA, "RoleSessionName": "rec",
		"DurationSeconds": "1800", "SerialNumber": roleAliceMFA, "TokenCode": "******",
	}
	for k, v := range wantParams {
		if got := a.Params.Get(k); got != v {
			t.Errorf("Params[%s] = %q, want %q", k, got, v)
		}
	}
	if len(a.Params) != len(wantParams) {
		t.Errorf("Params has %d keys, want %d: %v", len(a.Params), len(wantParams), a.Params)
	}
	if a.Action != "AssumeRole" || a.AccessKeyID != aliceKey || a.SessionToken || a.Region != "eu-west-1" || a.Err != "" {
		t.Errorf("first request = %+v", a)
	}
	for _, h := range []string{"host", "x-amz-date", "content-type"} {
		if !slices.Contains(a.SignedHeaders, h) {
			t.Errorf("SignedHeaders %v lack %s", a.SignedHeaders, h)
		}
	}
	g := reqs[1]
	if g.Action != "GetCallerIdentity" || g.AccessKeyID != sess.id || !g.SessionToken ||
		!slices.Contains(g.SignedHeaders, "x-amz-security-token") {
		t.Errorf("second request = %+v, want GetCallerIdentity signed with the session", g)
	}

	// Requests returns copies.
	reqs[0].Params.Set("RoleArn", "changed")
	reqs[0].SignedHeaders[0] = "changed"
	if again := srv.Requests(); again[0].Params.Get("RoleArn") != roleMFA || again[0].SignedHeaders[0] == "changed" {
		t.Error("changing the result of Requests changed the server's record")
	}
	if srv.Count("AssumeRole") != 1 || srv.Count("GetCallerIdentity") != 1 || srv.Count("GetSessionToken") != 0 {
		t.Errorf("Count: %d %d %d", srv.Count("AssumeRole"), srv.Count("GetCallerIdentity"), srv.Count("GetSessionToken"))
	}
	srv.Reset()
	if n := len(srv.Requests()); n != 0 || srv.Count("AssumeRole") != 0 {
		t.Errorf("after Reset: %d requests", n)
	}
	// Reset keeps the issued sessions.
	if _, err := client(srv, sess, 1).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); err != nil {
		t.Errorf("session after Reset: %v", err)
	}
}
