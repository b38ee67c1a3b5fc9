package issuerapp_test

import (
	"context"
	"encoding/base32"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/eidkit/eidkit/examples/issuer/issuerapp"
)

// ExampleParseArgs shows the defaults: the issuer on 127.0.0.1:8444 trusts
// the e-service's metadata on 8443 once signed by the certificate in the
// e-service's data directory.
func ExampleParseArgs() {
	cfg, err := issuerapp.ParseArgs(nil, io.Discard)
	if err != nil {
		panic(err)
	}
	fmt.Println(cfg.Addr)
	fmt.Println(cfg.SPMetadataURL)
	fmt.Println(cfg.SPCertFile)
	fmt.Println(cfg.Validate())

	// Plain HTTP is for loopback only.
	bad := cfg
	bad.Addr = "0.0.0.0:8444"
	fmt.Println(bad.Validate())
	// Output:
	// 127.0.0.1:8444
	// http://127.0.0.1:8443/saml/metadata
	// eidkit-data/eservice/eservice-signing.crt
	// <nil>
	// issuer: invalid configuration: -addr "0.0.0.0:8444": demo: plain HTTP is served on loopback only (127.0.0.1, localhost)
}

// ExampleCode computes a one-time code as ivan's authenticator app does
// (RFC 6238 Appendix B, T = 59 s).
func ExampleCode() {
	secret := base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString([]byte("12345678901234567890"))
	code, err := issuerapp.Code(secret, time.Unix(59, 0))
	fmt.Println(code, err)
	// Output: 287082 <nil>
}

// ExampleServe runs the issuer until the context ends, as main does with
// SIGINT; here with a context that is already cancelled, so it starts
// (creating its keys) and shuts down at once.
func ExampleServe() {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	dir, err := os.MkdirTemp("", "issuer-example-")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	err = issuerapp.Serve(ctx, issuerapp.Config{
		Addr:          "127.0.0.1:0",
		DataDir:       dir,
		SPMetadataURL: "http://127.0.0.1:8443/saml/metadata",
	})
	fmt.Println(err)
	// Output: <nil>
}
