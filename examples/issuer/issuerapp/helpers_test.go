package issuerapp

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

const testSPEntityID = "http://127.0.0.1:8443/saml/metadata"

// testSPKeys is an e-service key pair on disk, as its data directory
// holds it.
type testSPKeys struct {
	pair              *devcert.Pair
	certFile, keyFile string
}

func newTestSPKeys(t *testing.T) (*testSPKeys, error) {
	dir := t.TempDir()
	p, err := devcert.LoadOrCreate(dir, "sp", devcert.Options{})
	if err != nil {
		return nil, err
	}
	return &testSPKeys{pair: p, certFile: filepath.Join(dir, "sp.crt"), keyFile: filepath.Join(dir, "sp.key")}, nil
}

// metadata returns SP metadata for testSPEntityID, signed or not.
func (k *testSPKeys) metadata(t *testing.T, signed bool) []byte {
	t.Helper()
	md, err := metadata.NewSP(metadata.SPConfig{
		EntityID:            testSPEntityID,
		ACS:                 []metadata.Endpoint{{Binding: saml.BindingHTTPPOST, Location: "http://127.0.0.1:8443/saml/acs"}},
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
