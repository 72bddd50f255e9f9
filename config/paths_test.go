package config

import (
	"os/user"
	"testing"
)

func TestResolvePaths(t *testing.T) {
	env := func(kv ...string) func(string) (string, bool) {
		m := map[string]string{}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
	}
	const home = "/home/ann"
	tests := []struct {
		name                  string
		flagCfg, flagCred     string
		lookup                func(string) (string, bool)
		home                  string
		wantConfig, wantCreds string
	}{
		{"defaults", "", "", env(), home, "/home/ann/.aws/config", "/home/ann/.aws/credentials"},
		{"home with trailing slash", "", "", env(), "/home/ann/", "/home/ann/.aws/config", "/home/ann/.aws/credentials"},
		{"empty home is the root, as Python's expanduser", "", "", env(), "", "/.aws/config", "/.aws/credentials"},
		{"env set", "", "", env("AWS_CONFIG_FILE", "/etc/aws/cfg", "AWS_SHARED_CREDENTIALS_FILE", "/etc/aws/creds"), home, "/etc/aws/cfg", "/etc/aws/creds"},
		{"env set but empty means no file", "", "", env("AWS_CONFIG_FILE", "", "AWS_SHARED_CREDENTIALS_FILE", ""), home, "", ""},
		{"env tilde", "", "", env("AWS_CONFIG_FILE", "~/sub/cfg", "AWS_SHARED_CREDENTIALS_FILE", "~"), home, "/home/ann/sub/cfg", "/home/ann"},
		{"env $VAR and ${VAR}", "", "", env("AWS_CONFIG_FILE", "$CFGDIR/config", "AWS_SHARED_CREDENTIALS_FILE", "${CFGDIR}x/c", "CFGDIR", "/cfg"), home, "/cfg/config", "/cfgx/c"},
		{"unknown and odd vars stay", "", "", env("AWS_CONFIG_FILE", "/a/$NOPE/${}/$/${open", "AWS_SHARED_CREDENTIALS_FILE", "/b/${NOPE}"), home, "/a/$NOPE/${}/$/${open", "/b/${NOPE}"},
		{"var expanded before tilde", "", "", env("AWS_CONFIG_FILE", "$T/cfg", "T", "~"), home, "/home/ann/cfg", "/home/ann/.aws/credentials"},
		{"tilde not at start stays", "", "", env("AWS_CONFIG_FILE", "/x/~/cfg"), home, "/x/~/cfg", "/home/ann/.aws/credentials"},
		{"unknown user stays", "", "", env("AWS_CONFIG_FILE", "~no-such-user-rolesw/cfg"), home, "~no-such-user-rolesw/cfg", "/home/ann/.aws/credentials"},
		{"flags win over env", "/f/cfg", "/f/creds", env("AWS_CONFIG_FILE", "/e/cfg", "AWS_SHARED_CREDENTIALS_FILE", "/e/creds"), home, "/f/cfg", "/f/creds"},
		{"flags win over empty env", "/f/cfg", "", env("AWS_CONFIG_FILE", "", "AWS_SHARED_CREDENTIALS_FILE", ""), home, "/f/cfg", ""},
		{"flag tilde expanded, $ kept", "~/cfg", "$HOME/creds", env("HOME", "/elsewhere"), home, "/home/ann/cfg", "$HOME/creds"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ResolvePaths(tt.flagCfg, tt.flagCred, tt.lookup, tt.home)
			want := Paths{Config: tt.wantConfig, Credentials: tt.wantCreds}
			if got != want {
				t.Errorf("ResolvePaths = %+v, want %+v", got, want)
			}
		})
	}
}

func TestResolvePathsOtherUser(t *testing.T) {
	u, err := user.Lookup("root")
	if err != nil {
		t.Skip("no root user in the user database")
	}
	got := ResolvePaths("", "", func(k string) (string, bool) {
		if k == "AWS_CONFIG_FILE" {
			return "~root/.aws/config", true
		}
		return "", false
	}, "/home/ann")
	if want := u.HomeDir + "/.aws/config"; got.Config != want {
		t.Errorf("~root expanded to %q, want %q", got.Config, want)
	}
}
