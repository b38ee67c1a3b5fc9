package eserviceapp

import (
	"crypto/x509"
	"path/filepath"
	"testing"
	"time"

	"github.com/eidkit/eidkit/internal/devcert"
	"github.com/eidkit/eidkit/saml"
	"github.com/eidkit/eidkit/saml/dsig"
	"github.com/eidkit/eidkit/saml/metadata"
	"github.com/stretchr/testify/require"
)

const testIdPEntityID = "http://127.0.0.1:8444/saml/metadata"

// testKeys is an issuer key pair on disk, as its data directory holds it.
type testKeys struct {
	pair              *devcert.Pair
	certFile, keyFile string
}

func newTestKeys(t *testing.T) *testKeys {
	t.Helper()
	dir := t.TempDir()
	p, err := devcert.LoadOrCreate(dir, "idp", devcert.Options{})
	require.NoError(t, err)
	return &testKeys{pair: p, certFile: filepath.Join(dir, "idp.crt"), keyFile: filepath.Join(dir, "idp.key")}
}

// idpMetadata returns IdP metadata for testIdPEntityID, signed or not.
func (k *testKeys) idpMetadata(t *testing.T, signed bool) []byte {
	t.Helper()
	md, err := metadata.NewIDP(metadata.IDPConfig{
		EntityID:            testIdPEntityID,
		SSO:                 []metadata.Endpoint{{Binding: saml.BindingHTTPRedirect, Location: "http://127.0.0.1:8444/saml/sso"}},
		SigningCertificates: []*x509.Certificate{k.pair.Certificate},
		ValidFor:            time.Hour,
	})
	require.NoError(t, err)
	if signed {
		b, err := md.Sign(&dsig.Signer{Key: k.pair.Key, Certificates: []*x509.Certificate{k.pair.Certificate}})
		require.NoError(t, err)
		return b
	}
	b, err := md.Marshal()
	require.NoError(t, err)
	return b
}
