package session

import "testing"

func TestWindowsShell(t *testing.T) {
	env := func(m map[string]string) func(string) (string, bool) {
		return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
	}
	comspec := env(map[string]string{"COMSPEC": `C:\Windows\system32\cmd.exe`})
	tests := []struct {
		name   string
		lookup func(string) (string, bool)
		parent string
		want   string
	}{
		{"started from PowerShell 7", comspec, `C:\Program Files\PowerShell\7\pwsh.exe`, `C:\Program Files\PowerShell\7\pwsh.exe`},
		{"started from Windows PowerShell", comspec, `C:\Windows\System32\WindowsPowerShell\v1.0\PowerShell.exe`, `C:\Windows\System32\WindowsPowerShell\v1.0\PowerShell.exe`},
		{"started from cmd", comspec, `C:\Windows\system32\cmd.exe`, `C:\Windows\system32\cmd.exe`},
		{"started from explorer", comspec, `C:\Windows\explorer.exe`, `C:\Windows\system32\cmd.exe`},
		{"parent unknown", comspec, "", `C:\Windows\system32\cmd.exe`},
		{"no COMSPEC", env(nil), "", "cmd.exe"},
		{"empty COMSPEC", env(map[string]string{"COMSPEC": ""}), `C:\x\bash.exe`, "cmd.exe"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := windowsShell(tt.lookup, tt.parent); got != tt.want {
				t.Errorf("windowsShell = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestUnixShell(t *testing.T) {
	tests := []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"SHELL": "/usr/bin/zsh"}, "/usr/bin/zsh"},
		{map[string]string{"SHELL": ""}, "/bin/sh"},
		{map[string]string{"SHELL": "zsh"}, "zsh"},
		{nil, "/bin/sh"},
	}
	for _, tt := range tests {
		lookup := func(k string) (string, bool) { v, ok := tt.env[k]; return v, ok }
		if got := unixShell(lookup); got != tt.want {
			t.Errorf("SHELL=%q: unixShell = %q, want %q", tt.env["SHELL"], got, tt.want)
		}
	}
}
