package session

import "strings"

// windowsShell picks the subshell on Windows: the PowerShell rolesw was
// started from (a user in PowerShell expects PowerShell back, not cmd.exe),
// else %COMSPEC%, else cmd.exe. parentExe is the full path of rolesw's
// parent process ("" when unknown). It is pure, so Linux tests cover it.
func windowsShell(lookup func(string) (string, bool), parentExe string) string {
	// filepath.Base would not split on "\" when this runs on Linux.
	base := parentExe[strings.LastIndexAny(parentExe, `\/`)+1:]
	switch strings.ToLower(base) {
	case "pwsh.exe", "powershell.exe":
		return parentExe
	}
	if v, ok := lookup("COMSPEC"); ok && v != "" {
		return v
	}
	return "cmd.exe"
}

// unixShell picks the subshell elsewhere: $SHELL, else /bin/sh.
func unixShell(lookup func(string) (string, bool)) string {
	if v, ok := lookup("SHELL"); ok && v != "" {
		return v
	}
	return "/bin/sh"
}
