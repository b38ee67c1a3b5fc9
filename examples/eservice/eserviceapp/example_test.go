package eserviceapp_test

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/eidkit/eidkit/examples/eservice/eserviceapp"
)

// ExampleParseArgs shows the defaults: the e-service on 127.0.0.1:8443
// trusts the issuer's metadata on 8444 once signed by the certificate in
// the issuer's data directory.
func ExampleParseArgs() {
	cfg, err := eserviceapp.ParseArgs(nil, io.Discard)
	if err != nil {
		panic(err)
	}
	fmt.Println(cfg.Addr)
	fmt.Println(cfg.IdPMetadataURL)
	fmt.Println(cfg.IdPCertFile)
	fmt.Println(cfg.Validate())

	// Metadata over plain HTTP is accepted from loopback only.
	bad := cfg
	bad.IdPMetadataURL = "http://idp.example.hr/saml/metadata"
	fmt.Println(bad.Validate())
	// Output:
	// 127.0.0.1:8443
	// http://127.0.0.1:8444/saml/metadata
	// eidkit-data/issuer/issuer-signing.crt
	// <nil>
	// eservice: invalid configuration: -idp-metadata: "http://idp.example.hr/saml/metadata": want https, or http on a loopback host
}

// ExampleServe runs the e-service until the context ends, as main does
// with SIGINT; here with a context that is already cancelled, so it starts
// (creating its keys) and shuts down at once.
func ExampleServe() {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	dir, err := os.MkdirTemp("", "eservice-example-")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	err = eserviceapp.Serve(ctx, eserviceapp.Config{
		Addr:           "127.0.0.1:0",
		DataDir:        dir,
		IdPMetadataURL: "http://127.0.0.1:8444/saml/metadata",
	})
	fmt.Println(err)
	// Output: <nil>
}
