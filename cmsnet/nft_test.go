package cmsnet

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// nftCheck runs `nft -c -f file` and fails the test when nft rejects the
// ruleset.
func nftCheck(t *testing.T, ruleset []byte) {
	t.Helper()
	out, err := nftRun(t, ruleset)
	require.NoError(t, err, "nft -c rejected the ruleset:\n%s\n%s", out, ruleset)
}

// nftRun runs `nft -c -f file`; where the sandbox lacks netlink
// privileges it retries in a user and network namespace (unshare -rn). It
// skips the test when nft is missing, unless EIDKIT_REQUIRE_INTEROP=1.
func nftRun(t *testing.T, ruleset []byte) ([]byte, error) {
	t.Helper()
	nft, err := exec.LookPath("nft")
	if err != nil {
		if os.Getenv("EIDKIT_REQUIRE_INTEROP") == "1" {
			t.Fatal("nft not installed and EIDKIT_REQUIRE_INTEROP=1")
		}
		t.Skip("nft not installed (apt-get install nftables); set EIDKIT_REQUIRE_INTEROP=1 to fail instead")
	}
	file := filepath.Join(t.TempDir(), "cmsnet.nft")
	require.NoError(t, os.WriteFile(file, ruleset, 0o600))
	out, err := exec.Command(nft, "-c", "-f", file).CombinedOutput()
	if err != nil && bytes.Contains(out, []byte("Operation not permitted")) {
		if unshare, uerr := exec.LookPath("unshare"); uerr == nil {
			out, err = exec.Command(unshare, "-rn", nft, "-c", "-f", file).CombinedOutput()
		}
	}
	return out, err
}

// TestNFTCheckCanFail proves the nft -c check above is a real check: the
// rendered broker ruleset with one prefix made impossible is rejected.
func TestNFTCheckCanFail(t *testing.T) {
	p := loadFile(t, "broker.yaml")
	var buf bytes.Buffer
	require.NoError(t, RenderNFT(&buf, p, NFTOptions{}))
	require.Contains(t, buf.String(), "10.20.5.0/24")
	broken := strings.Replace(buf.String(), "10.20.5.0/24", "10.20.5.0/33", 1)
	out, err := nftRun(t, []byte(broken))
	require.Error(t, err, "nft -c accepted an invalid prefix:\n%s", out)
	require.Contains(t, string(out), "10.20.5.0/33")
}

func TestRenderNFT(t *testing.T) {
	for _, tc := range []struct {
		file string
		opts NFTOptions
		want []string
	}{
		{"broker.yaml", NFTOptions{}, []string{
			"type filter hook forward priority filter; policy drop;",
			`ip saddr { 10.20.5.0/24 } ip daddr { 10.1.0.10 } tcp dport { 8443 } counter accept comment "grant grants[0] (grant g-tax-backchannel) at 48:5"`,
			"ip saddr { 0.0.0.0-192.0.1.255, 192.0.3.0-255.255.255.255 } ip daddr { 203.0.113.10 } tcp dport { 443 }",
			"ip6 saddr { ::/0 } ip6 daddr { 2001:db8:10::10 } tcp dport { 443 }",
		}},
		{"registry.json", NFTOptions{Table: "cms_gw", Hook: "input"}, []string{
			"table inet cms_gw {",
			"type filter hook input priority filter; policy drop;",
			"udp dport { 5000-5010 }",
			"entity interior",
		}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			p := loadFile(t, tc.file)
			var buf bytes.Buffer
			require.NoError(t, RenderNFT(&buf, p, tc.opts))
			for _, w := range tc.want {
				require.Contains(t, buf.String(), w)
			}
			// C1: the IPsec village never appears as an accepted source.
			require.NotContains(t, buf.String(), "10.50.2.0/24")
			nftCheck(t, buf.Bytes())
		})
	}
}

func TestRenderNFTOptions(t *testing.T) {
	p := loadFile(t, "broker.yaml")
	for _, o := range []NFTOptions{{Table: "bad name"}, {Table: "x; flush ruleset"}, {Hook: "prerouting"}} {
		require.ErrorIs(t, RenderNFT(&bytes.Buffer{}, p, o), ErrConfig)
	}
}

func TestRenderNFTLarge(t *testing.T) {
	p, _ := synthetic(t, 50, 500)
	var buf bytes.Buffer
	require.NoError(t, RenderNFT(&buf, p, NFTOptions{}))
	require.Equal(t, 50, strings.Count(buf.String(), "(grant g"))
	nftCheck(t, buf.Bytes())
}
