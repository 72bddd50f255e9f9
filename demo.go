package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/rolesw/rolesw/session/localsts"
)

// The demo's accounts and MFA device.
const (
	demoUserAccount = "111111111111"
	demoDevAccount  = "222222222222"
	demoProdAccount = "333333333333"
	demoMFASerial   = "arn:aws:iam::111111111111:mfa/demo"
	demoMFACode     = "123456"
)

func (a *app) newDemoCmd() *cobra.Command {
	var once bool
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Try the switcher offline: a sample config and a local STS, nothing else touched",
		Long: `demo runs the whole switcher against a generated sample config (three accounts,
a static-key user, roles with different maxima, a chained role and an MFA role)
and an STS that listens on 127.0.0.1 only. Its files live in a temporary
directory that is removed on exit; your ~/.aws is never read.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.runDemo(cmd.Context(), once)
		},
	}
	cmd.Flags().BoolVar(&once, "once", false, "exit after the first subshell, with its status")
	return cmd
}

func (a *app) runDemo(ctx context.Context, once bool) error {
	if !a.isTerminal() {
		return usagef("the demo is the interactive switcher and needs a terminal")
	}
	dir, err := os.MkdirTemp("", "rolesw-demo-")
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	defer os.RemoveAll(dir)
	srv, err := localsts.Start(localsts.Options{Account: demoUserAccount})
	if err != nil {
		return fmt.Errorf("demo: starting the local STS: %w", err)
	}
	defer srv.Close()
	if err := setUpDemo(a, srv, dir); err != nil {
		return err
	}
	return a.runSwitcher(ctx, nil, assumeFlags{}, once)
}

// setUpDemo writes the sample files, registers the demo identities with the
// local STS and points this process (and so its subshells) at both.
func setUpDemo(a *app, srv *localsts.Server, dir string) error {
	keyID := "AKIA" + randomUpper(16)
	secret := randomUpper(40)
	srv.AddUser(localsts.User{Name: "demo", Account: demoUserAccount, AccessKeyID: keyID, SecretAccessKey: secret})
	for _, r := range []localsts.Role{
		{ARN: "arn:aws:iam::" + demoDevAccount + ":role/DevAdmin", MaxSessionDuration: 4 * time.Hour},
		{ARN: "arn:aws:iam::" + demoProdAccount + ":role/ReadOnly", MaxSessionDuration: 2 * time.Hour},
		{ARN: "arn:aws:iam::" + demoProdAccount + ":role/Admin", MaxSessionDuration: 12 * time.Hour, MFASerial: demoMFASerial},
		{ARN: "arn:aws:iam::" + demoProdAccount + ":role/Deploy", MaxSessionDuration: 8 * time.Hour},
	} {
		srv.AddRole(r)
	}
	srv.SetMFACode(demoMFASerial, demoMFACode)

	cfgPath := filepath.Join(dir, "config")
	credPath := filepath.Join(dir, "credentials")
	if err := os.WriteFile(cfgPath, []byte(demoConfig), 0o600); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	creds := fmt.Sprintf("[demo-user]\naws_access_key_id = %s\naws_secret_access_key = %s\n", keyID, secret)
	if err := os.WriteFile(credPath, []byte(creds), 0o600); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	e := a.env
	for _, k := range []string{"AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN",
		"AWS_CREDENTIAL_EXPIRATION", "AWS_SESSION_EXPIRATION", "AWS_ENDPOINT_URL", "AWS_REGION", "AWS_DEFAULT_REGION",
		"ROLESW_PROFILE", "ROLESW_ROLE_ARN", "ROLESW_IDENTITY", "ROLESW_DEPTH"} {
		e.unset(k)
	}
	e.set("AWS_CONFIG_FILE", cfgPath)
	e.set("AWS_SHARED_CREDENTIALS_FILE", credPath)
	e.set("AWS_ENDPOINT_URL_STS", srv.URL())
	e.set("XDG_STATE_HOME", filepath.Join(dir, "state"))
	// The demo user is the ambient identity, as if its keys were exported.
	e.set("AWS_ACCESS_KEY_ID", keyID)
	e.set("AWS_SECRET_ACCESS_KEY", secret)
	a.configFile, a.credentialsFile = "", ""
	a.note = "demo: a local STS on " + strings.TrimPrefix(srv.URL(), "http://") + "; the MFA code is " + demoMFACode
	return nil
}

// demoConfig: the first profile is a plain role, so Enter and Enter reach a
// shell.
const demoConfig = `# rolesw demo: generated, removed on exit
[profile dev-admin]
role_arn = arn:aws:iam::` + demoDevAccount + `:role/DevAdmin
source_profile = demo-user
region = eu-west-1
rolesw_max_session_duration = 14400

[profile prod-readonly]
# STS allows 2h here; rolesw does not know it yet and learns it when asked for more
role_arn = arn:aws:iam::` + demoProdAccount + `:role/ReadOnly
source_profile = demo-user
region = us-east-1

[profile prod-admin]
role_arn = arn:aws:iam::` + demoProdAccount + `:role/Admin
source_profile = demo-user
mfa_serial = ` + demoMFASerial + `
region = us-east-1

[profile prod-deploy]
# chained through dev-admin: STS caps it at 1h
role_arn = arn:aws:iam::` + demoProdAccount + `:role/Deploy
source_profile = dev-admin
region = us-east-1

[profile orphan]
# no source_profile or credential_source: listed, but cannot be assumed
role_arn = arn:aws:iam::` + demoProdAccount + `:role/Orphan

[profile demo-user]
region = eu-west-1
`

// randomUpper returns n random characters of A-Z and 2-7: fresh demo keys
// every run, so no key is ever written into the source.
func randomUpper(n int) string {
	var b strings.Builder
	for b.Len() < n {
		b.WriteString(rand.Text())
	}
	return b.String()[:n]
}
