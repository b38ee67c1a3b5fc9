package metadata_test

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/eidkit/eidkit/saml/metadata"
	"github.com/eidkit/eidkit/saml/samltest"
)

// TestDNEntityID: NIAS uses certificate DNs as entityIDs (spec-digest §4.1).
func TestDNEntityID(t *testing.T) {
	t.Parallel()
	id, err := metadata.DNEntityID(readCert(t, "keys/nias-sign1.crt"))
	require.NoError(t, err)
	require.Equal(t, "CN=niasaptst, L=ZAGREB, OID.2.5.4.97=HR85821130368, O=FINA, C=HR", id)

	cases := []struct {
		name    string
		subject pkix.Name
		want    string
	}{
		{"simple", pkix.Name{CommonName: "rsvjavnost_demo", Country: []string{"HR"}}, "CN=rsvjavnost_demo, C=HR"},
		{"quoted comma", pkix.Name{CommonName: "Grad Zagreb, Ured", Organization: []string{`A "B"`}}, `CN="Grad Zagreb, Ured", O="A ""B"""`},
		{"extra OID", pkix.Name{CommonName: "x", ExtraNames: []pkix.AttributeTypeAndValue{
			{Type: asn1.ObjectIdentifier{2, 5, 4, 97}, Value: "HR85821130368"}}}, "OID.2.5.4.97=HR85821130368, CN=x"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			kp, err := samltest.GenerateKeyPair(samltest.P256, samltest.CertOptions{Subject: tc.subject})
			require.NoError(t, err)
			got, err := metadata.DNEntityID(kp.Certificate)
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
	_, err = metadata.DNEntityID(nil)
	require.ErrorIs(t, err, metadata.ErrInvalidConfig)
	_, err = metadata.DNEntityID(&x509.Certificate{RawSubject: []byte{0x30, 0x03, 0x02, 0x01}})
	require.ErrorIs(t, err, metadata.ErrBadCertificate)
}
