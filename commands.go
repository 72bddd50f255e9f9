package main

import (
	"github.com/spf13/cobra"
)

// assumeFlags are the flags of every command that assumes a role.
type assumeFlags struct {
	duration       string
	mfaCode        string
	sessionName    string
	sourceIdentity string
}

func (f *assumeFlags) add(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVarP(&f.duration, "duration", "d", "", "session duration: 3600, 3600s, 90m, 1h30m (default: the profile's duration_seconds, else 1h)")
	fl.StringVar(&f.mfaCode, "mfa-code", "", "the 6-digit MFA code (\"-\" reads it from standard input); asked on the terminal when needed")
	fl.StringVar(&f.sessionName, "session-name", "", "role session name shown in CloudTrail (default: role_session_name, else rolesw-<user>-<unix time>)")
	fl.StringVar(&f.sourceIdentity, "source-identity", "", "SourceIdentity passed to STS (default: the profile's source_identity)")
}

func (a *app) newRootCmd() *cobra.Command {
	var (
		af   assumeFlags
		once bool
	)
	root := &cobra.Command{
		Use:   "rolesw [PROFILE]",
		Short: "Switch AWS roles in a subshell",
		Long: `rolesw shows who you are and how long your credentials last, lets you pick a
profile from your AWS config and a session duration, assumes the role with STS
and opens a subshell holding the temporary credentials. Leave the subshell
(exit) and your original permissions are back.

Without a terminal, use "rolesw exec PROFILE -- CMD" or "rolesw list".`,
		Args:              cobra.MaximumNArgs(1),
		ValidArgsFunction: a.completeProfiles,
		SilenceUsage:      true,
		SilenceErrors:     true,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runSwitcher(cmd.Context(), args, af, once)
		},
	}
	af.add(root)
	root.Flags().BoolVar(&once, "once", false, "exit after the first subshell, with its status")
	pf := root.PersistentFlags()
	pf.StringVar(&a.configFile, "config", "", "AWS config file (default: $AWS_CONFIG_FILE, else ~/.aws/config)")
	pf.StringVar(&a.credentialsFile, "credentials", "", "AWS credentials file (default: $AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/credentials)")
	pf.StringVar(&a.region, "region", "", "region of the STS endpoint and of the subshell (default: $AWS_REGION, the profile's region)")
	pf.BoolVar(&a.noColor, "no-color", false, "no colours (also NO_COLOR)")
	pf.BoolVar(&a.debug, "debug", false, "write a debug log (no secrets) to the state directory")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &usageError{msg: err.Error()} })

	root.AddCommand(
		a.newExecCmd(),
		a.newListCmd(),
		a.newStatusCmd(),
		a.newEnvCmd(),
		a.newDemoCmd(),
		a.newVersionCmd(),
		a.newManCmd(),
	)
	return root
}

// completeProfiles completes profile names from the config files, for
// `rolesw`, `exec` and `env`. Errors complete nothing.
func (a *app) completeProfiles(cmd *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	cfg, err := a.loadConfig()
	if err != nil {
		return nil, cobra.ShellCompDirectiveError | cobra.ShellCompDirectiveNoFileComp
	}
	return cfg.Names(), cobra.ShellCompDirectiveNoFileComp
}
