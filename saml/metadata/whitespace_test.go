package metadata_test

import (
	"crypto/x509"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/eidkit/eidkit/saml/dsig"
	"github.com/eidkit/eidkit/saml/metadata"
	"github.com/eidkit/eidkit/saml/samltest"
)

// TestSignedMetadataWithControlWhitespace: text and attribute values holding
// CR, LF or TAB must be written escaped, or the reader's normalisation breaks
// the signature (N23: the signed metadata is the trust exchange).
func TestSignedMetadataWithControlWhitespace(t *testing.T) {
	kp := samltest.NewKeyPair(t, samltest.P256)
	cfg := idpConfig([]*x509.Certificate{kp.Certificate})
	cfg.Organization = &metadata.Organization{
		Names:        []metadata.Localized{{Lang: "hr", Value: "Ministarstvo\r\nuprave"}},
		DisplayNames: []metadata.Localized{{Lang: "hr", Value: "Uprava\tdemo"}},
		URLs:         []metadata.Localized{{Lang: "hr", Value: "https://uprava.example.hr/"}},
	}
	ed, err := metadata.NewIDP(cfg)
	require.NoError(t, err)
	signed, err := ed.Sign(&dsig.Signer{Key: kp.Key, Certificates: []*x509.Certificate{kp.Certificate}})
	require.NoError(t, err)

	got, err := metadata.Parse(signed, trusting(kp.Certificate))
	require.NoError(t, err, "signature must verify after a write and a parse")
	require.Equal(t, "Ministarstvo\r\nuprave", got.Organization.Names[0].Value)
	require.Equal(t, "Uprava\tdemo", got.Organization.DisplayNames[0].Value)
}
