package session

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// parentEnv holds every variable ChildEnv must drop, and some it must keep.
var parentEnv = []string{
	"HOME=/home/dev",
	"PATH=/usr/bin:/bin",
	"AWS_PROFILE=old",
	"AWS_DEFAULT_PROFILE=old",
	"AWS_SECURITY_TOKEN=stale-token",
	"AWS_CREDENTIAL_FILE=/tmp/creds",
	"AWS_ROLE_ARN=arn:aws:iam::1:role/web",
	"AWS_WEB_IDENTITY_TOKEN_FILE=/var/run/token",
	"AWS_ROLE_SESSION_NAME=web",
	"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI=/v2/creds",
	"AWS_CONTAINER_CREDENTIALS_FULL_URI=http://127.0.0.1/creds",
	"AWS_CONTAINER_AUTHORIZATION_TOKEN=container-secret",
	"AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=/var/run/auth",
	"AWS_VAULT=old",
	"AWSUME_PROFILE=old",
	"AWSUME_EXPIRATION=2031-03-04T09:00:00",
	"AWS_SSO_PROFILE=old",
	"AWS_SSO_SESSION_EXPIRATION=2031-03-04 09:00:00 +0000 UTC",
	"AWS_ACCESS_KEY=OLDKEY",
	"AWS_SECRET_KEY=old-secret",
	"AWS_ACCESS_KEY_ID=AKIAOLDOLDOLDOLD",
	"AWS_SECRET_ACCESS_KEY=old-secret",
	"AWS_SESSION_TOKEN=old-token",
	"AWS_CREDENTIAL_EXPIRATION=2031-03-04T09:00:00Z",
	"AWS_SESSION_EXPIRATION=2031-03-04T09:00:00Z",
	"AWS_REGION=us-west-2",
	"AWS_DEFAULT_REGION=us-west-2",
	"ROLESW_PROFILE=outer",
	"ROLESW_ROLE_ARN=arn:aws:iam::1:role/outer",
	"ROLESW_IDENTITY=arn:aws:sts::1:assumed-role/outer/x",
	"ROLESW_DEPTH=2",
	"AWS_CONFIG_FILE=/home/dev/.aws/config",
	"AWS_SHARED_CREDENTIALS_FILE=/home/dev/.aws/credentials",
	"AWS_ENDPOINT_URL=http://127.0.0.1:4566",
	"AWS_ENDPOINT_URL_STS=http://127.0.0.1:4567",
	"AWSOME=kept",
}

func TestChildEnv(t *testing.T) {
	exp := time.Date(2031, 3, 4, 11, 0, 0, 0, time.FixedZone("CET", 3600))
	withToken := &Result{
		Profile:        "prod",
		Credentials:    Credentials{AccessKeyID: "ASIANEWNEWNEWNEW", SecretAccessKey: "new-secret", SessionToken: "new-token", Expires: exp},
		AssumedRoleARN: "arn:aws:sts::444444444444:assumed-role/Prod/s",
		RoleARN:        "arn:aws:iam::444444444444:role/Prod",
		Region:         "eu-west-1",
	}
	kept := []string{
		"HOME=/home/dev", "PATH=/usr/bin:/bin",
		"AWS_CONFIG_FILE=/home/dev/.aws/config", "AWS_SHARED_CREDENTIALS_FILE=/home/dev/.aws/credentials",
		"AWS_ENDPOINT_URL=http://127.0.0.1:4566", "AWS_ENDPOINT_URL_STS=http://127.0.0.1:4567", "AWSOME=kept",
	}
	cases := []struct {
		name   string
		parent []string
		res    *Result
		want   []string
	}{
		{
			name: "session credentials with region", parent: parentEnv, res: withToken,
			want: append(slices.Clone(kept),
				"AWS_ACCESS_KEY_ID=ASIANEWNEWNEWNEW", "AWS_SECRET_ACCESS_KEY=new-secret", "AWS_SESSION_TOKEN=new-token",
				"AWS_CREDENTIAL_EXPIRATION=2031-03-04T10:00:00Z", "AWS_SESSION_EXPIRATION=2031-03-04T10:00:00Z",
				"AWS_REGION=eu-west-1", "AWS_DEFAULT_REGION=eu-west-1",
				"ROLESW_PROFILE=prod", "ROLESW_ROLE_ARN=arn:aws:iam::444444444444:role/Prod",
				"ROLESW_IDENTITY=arn:aws:sts::444444444444:assumed-role/Prod/s", "ROLESW_DEPTH=3"),
		},
		{
			name:   "long-term keys, global region, outside rolesw",
			parent: []string{"PATH=/bin", "AWS_SESSION_TOKEN=old", "AWS_CREDENTIAL_EXPIRATION=x", "ROLESW_DEPTH=junk"},
			res: &Result{Profile: "dev", Credentials: Credentials{AccessKeyID: "AKIADEVDEVDEVDEV", SecretAccessKey: "s"},
				AssumedRoleARN: "arn:aws:iam::1:user/dev", Region: "aws-global"},
			want: []string{"PATH=/bin", "AWS_ACCESS_KEY_ID=AKIADEVDEVDEVDEV", "AWS_SECRET_ACCESS_KEY=s",
				"ROLESW_PROFILE=dev", "ROLESW_ROLE_ARN=", "ROLESW_IDENTITY=arn:aws:iam::1:user/dev", "ROLESW_DEPTH=1"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := ChildEnv(tc.parent, tc.res)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("ChildEnv (-want +got):\n%s", diff)
			}
			for _, kv := range got {
				if strings.Contains(kv, "old") || strings.Contains(kv, "stale") || strings.Contains(kv, "container-secret") {
					t.Errorf("inherited credential survived: %s", kv)
				}
			}
		})
	}
}

func TestBanner(t *testing.T) {
	now := time.Date(2031, 3, 4, 10, 0, 0, 0, time.UTC)
	res := &Result{Profile: "prod", AssumedRoleARN: "arn:aws:sts::4:assumed-role/Prod/s",
		Credentials: Credentials{Expires: now.Add(90 * time.Minute)}}
	cases := []struct {
		name     string
		res      *Result
		original Identity
		want     string
	}{
		{"known original", res, Identity{ARN: "arn:aws:iam::1:user/dev"},
			"rolesw: prod as arn:aws:sts::4:assumed-role/Prod/s, expires 11:30 UTC (1h30m); exit to return to arn:aws:iam::1:user/dev"},
		{"unknown original", res, Identity{},
			"rolesw: prod as arn:aws:sts::4:assumed-role/Prod/s, expires 11:30 UTC (1h30m); exit to return"},
		{"no expiry", &Result{Profile: "dev"}, Identity{},
			"rolesw: dev, no expiry; exit to return"},
	}
	for _, tc := range cases {
		if got := Banner(tc.res, tc.original, now); got != tc.want {
			t.Errorf("%s:\n got %q\nwant %q", tc.name, got, tc.want)
		}
	}
}
