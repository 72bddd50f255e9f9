// Command bench measures rolesw as whole processes, the way a user meets it:
// `rolesw list` against `aws configure list-profiles` on a 20,000-profile
// config, and `rolesw exec bench-role -- true` against a loopback STS on a
// 2,000-profile config. It needs hyperfine and /usr/bin/time.
//
//	go build -o rolesw . && go run ./scripts/bench -rolesw ./rolesw
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"time"

	"github.com/rolesw/rolesw/config"
	"github.com/rolesw/rolesw/config/configgen"
	"github.com/rolesw/rolesw/session/localsts"
)

func main() {
	rolesw := flag.String("rolesw", "./rolesw", "the rolesw binary to measure")
	listN := flag.Int("list", 20000, "profiles for the list benchmark")
	execN := flag.Int("exec", 2000, "profiles for the exec benchmark")
	aws := flag.String("aws", "/usr/bin/aws", "the AWS CLI v2 to compare with (\"\" to skip)")
	keep := flag.String("keep", "", "write the generated configs into this directory and keep them (for firstframe.py)")
	flag.Parse()
	if err := run(*rolesw, *aws, *keep, *listN, *execN); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(rolesw, aws, keep string, listN, execN int) error {
	bin, err := filepath.Abs(rolesw)
	if err != nil {
		return err
	}
	dir := keep
	if dir == "" {
		if dir, err = os.MkdirTemp("", "rolesw-bench-"); err != nil {
			return err
		}
		defer os.RemoveAll(dir)
	}

	listDir, err := generate(dir, "list", listN)
	if err != nil {
		return err
	}
	execDir, err := generate(dir, "exec", execN)
	if err != nil {
		return err
	}
	srv, err := localsts.Start(localsts.Options{})
	if err != nil {
		return err
	}
	defer srv.Close()
	if err := register(srv, execDir); err != nil {
		return err
	}

	base := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "USER=bench", "XDG_STATE_HOME=" + filepath.Join(dir, "state"),
		"AWS_EC2_METADATA_DISABLED=true", "AWS_PAGER="}
	listEnv := append(files(listDir), base...)
	execEnv := append(append(files(execDir), base...), "AWS_ENDPOINT_URL_STS="+srv.URL())

	fmt.Printf("## rolesw list, %d profiles\n\n", listN)
	if err := hyperfine(listEnv, 20, bin+" list"); err != nil {
		return err
	}
	if err := peak(listEnv, bin, "list"); err != nil {
		return err
	}
	if aws != "" {
		fmt.Printf("\n## aws configure list-profiles, %d profiles\n\n", listN)
		if err := hyperfine(listEnv, 3, aws+" configure list-profiles"); err != nil {
			return err
		}
		if err := peak(listEnv, aws, "configure", "list-profiles"); err != nil {
			return err
		}
	}
	fmt.Printf("\n## rolesw exec bench-role -- true, %d profiles, loopback STS\n\n", execN)
	before := srv.Count("AssumeRole")
	if err := hyperfine(execEnv, 50, bin+" exec bench-role -- true", "true"); err != nil {
		return err
	}
	fmt.Printf("\nAssumeRole calls answered: %d\n", srv.Count("AssumeRole")-before)
	return rtt(srv, execDir)
}

func generate(dir, name string, n int) (string, error) {
	d := filepath.Join(dir, name)
	if err := os.MkdirAll(d, 0o700); err != nil {
		return "", err
	}
	c, cr := configgen.Generate(n, 1)
	if err := os.WriteFile(filepath.Join(d, "config"), c, 0o600); err != nil {
		return "", err
	}
	return d, os.WriteFile(filepath.Join(d, "credentials"), cr, 0o600)
}

func files(d string) []string {
	return []string{"AWS_CONFIG_FILE=" + filepath.Join(d, "config"), "AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(d, "credentials")}
}

// register tells the STS about the generated bench user and role.
func register(srv *localsts.Server, d string) error {
	cfg, err := config.Load(config.Paths{Config: filepath.Join(d, "config"), Credentials: filepath.Join(d, "credentials")})
	if err != nil {
		return err
	}
	u, ok := cfg.Profile(configgen.BenchUser)
	if !ok {
		return fmt.Errorf("no %s in the generated config", configgen.BenchUser)
	}
	srv.AddUser(localsts.User{Name: configgen.BenchUser, AccessKeyID: u.Value("aws_access_key_id"), SecretAccessKey: u.Value("aws_secret_access_key")})
	srv.AddRole(localsts.Role{ARN: configgen.BenchRoleARN, MaxSessionDuration: 12 * time.Hour})
	return nil
}

func hyperfine(env []string, runs int, commands ...string) error {
	args := []string{"-N", "--warmup", "2", "--runs", fmt.Sprint(runs), "--style", "basic"}
	cmd := exec.Command("hyperfine", append(args, commands...)...)
	cmd.Env, cmd.Stdout, cmd.Stderr = env, os.Stdout, os.Stderr
	return cmd.Run()
}

// peak prints the peak resident memory of one run.
func peak(env []string, name string, args ...string) error {
	cmd := exec.Command("/usr/bin/time", append([]string{"-v", name}, args...)...)
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s: %v", name, err)
	}
	m := regexp.MustCompile(`Maximum resident set size \(kbytes\): (\d+)`).FindSubmatch(out)
	if m == nil {
		return fmt.Errorf("no peak memory in /usr/bin/time output")
	}
	fmt.Printf("\npeak memory: %s KiB\n", m[1])
	return nil
}

// rtt is the loopback STS round trip alone, to subtract from exec's time.
func rtt(srv *localsts.Server, d string) error {
	cmd := exec.Command("curl", "-s", "-o", "/dev/null", "-w", "%{time_total}", srv.URL())
	out, err := cmd.Output()
	if err == nil {
		fmt.Printf("one unsigned HTTP round trip to the STS: %s s\n", out)
	}
	return nil
}
