package metadata_test

import (
	"crypto/x509"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/eidkit/eidkit/saml"
	"github.com/eidkit/eidkit/saml/metadata"
	"github.com/eidkit/eidkit/saml/samltest"
)

// TestNewSPDefaults: SP metadata signs requests and wants signed
// assertions by default, and publishes every signing and encryption
// certificate for rollover (N23, N24).
func TestNewSPDefaults(t *testing.T) {
	t.Parallel()
	_, certs := keyPairs(t, samltest.P256, 3)
	cfg := spConfig(certs[:2], certs[2])
	ed, err := metadata.NewSP(cfg)
	require.NoError(t, err)
	sp := ed.SP
	require.True(t, sp.AuthnRequestsSigned, "signed requests by default")
	require.True(t, sp.WantAssertionsSigned, "signed assertions by default")
	require.Equal(t, []string{saml.NSProtocol}, sp.ProtocolSupportEnumeration)
	require.Equal(t, fixedNow.Add(metadata.DefaultValidFor), ed.ValidUntil)
	require.Len(t, sp.SigningCertificates(), 2)
	require.Len(t, sp.EncryptionCertificates(), 1)
	require.Equal(t, certs[2].Raw, sp.EncryptionCertificates()[0].Raw)
	require.Equal(t, metadata.True, sp.AssertionConsumerServices[0].IsDefault)
	require.Equal(t, 1, sp.AssertionConsumerServices[1].Index)

	def, err := sp.DefaultACS()
	require.NoError(t, err)
	require.Equal(t, "https://eusluga.example.hr/saml/acs", def.Location)
	red, err := sp.ACSByBinding(saml.BindingHTTPRedirect)
	require.NoError(t, err)
	require.Equal(t, 1, red.Index)
	byIdx, err := sp.ACSByIndex(1)
	require.NoError(t, err)
	require.Equal(t, red, byIdx)
	_, err = sp.ACSByIndex(7)
	require.ErrorIs(t, err, metadata.ErrNoEndpoint)
	_, err = sp.ACSByBinding(saml.BindingSOAP)
	require.ErrorIs(t, err, metadata.ErrNoEndpoint)
	require.True(t, sp.HasACSLocation("https://eusluga.example.hr/saml/acs"))
	require.False(t, sp.HasACSLocation("https://eusluga.example.hr/saml/acs/"))
	require.False(t, sp.HasACSLocation("https://evil.example/acs"))

	// The caller's config is not aliased: changing it later changes nothing.
	cfg.ACS[0].Location = "https://changed.example/acs"
	cfg.Extensions.SPType = "private"
	require.Equal(t, "https://eusluga.example.hr/saml/acs", ed.SP.AssertionConsumerServices[0].Location)

	cfg = spConfig(certs[:1])
	cfg.InsecureUnsignedAuthnRequests, cfg.AllowUnsignedAssertions = true, true
	cfg.ValidFor = time.Hour
	ed, err = metadata.NewSP(cfg)
	require.NoError(t, err)
	require.False(t, ed.SP.AuthnRequestsSigned)
	require.False(t, ed.SP.WantAssertionsSigned)
	require.Equal(t, fixedNow.Add(time.Hour), ed.ValidUntil)
}

// TestNewIDPDefaults: IdP metadata (the broker as IdP, N3) wants signed
// requests by default.
func TestNewIDPDefaults(t *testing.T) {
	t.Parallel()
	_, certs := keyPairs(t, samltest.P256, 2)
	ed, err := metadata.NewIDP(idpConfig(certs))
	require.NoError(t, err)
	require.True(t, ed.IDP.WantAuthnRequestsSigned)
	require.Len(t, ed.IDP.SigningCertificates(), 2)
	require.Empty(t, ed.IDP.EncryptionCertificates())
	cfg := idpConfig(certs)
	cfg.InsecureUnsignedAuthnRequests = true
	ed, err = metadata.NewIDP(cfg)
	require.NoError(t, err)
	require.False(t, ed.IDP.WantAuthnRequestsSigned)
}

// TestConfigValidate: Validate names every bad field at once.
func TestConfigValidate(t *testing.T) {
	t.Parallel()
	sp := metadata.SPConfig{
		ACS:                    []metadata.Endpoint{{Binding: saml.BindingHTTPPOST, Location: "javascript:alert(1)"}},
		SLO:                    []metadata.Endpoint{{Location: "https://x/slo"}},
		EncryptionCertificates: []*x509.Certificate{nil},
		ValidFor:               -time.Hour,
		CacheDuration:          -time.Hour,
		Extensions:             metadata.Extensions{SPType: "secret"},
	}
	err := sp.Validate()
	require.ErrorIs(t, err, metadata.ErrInvalidConfig)
	require.ErrorIs(t, err, metadata.ErrBadEndpoint)
	for _, field := range []string{"SPConfig.EntityID", "SPConfig.ACS[0]", "SPConfig.SLO[0]", "SPConfig.SigningCertificates",
		"SPConfig.EncryptionCertificates[0]", "SPConfig.ValidFor", "SPConfig.CacheDuration", "SPConfig.Extensions.SPType"} {
		require.Contains(t, err.Error(), field)
	}
	_, err = metadata.NewSP(sp)
	require.ErrorIs(t, err, metadata.ErrInvalidConfig)

	idp := metadata.IDPConfig{EntityID: strings.Repeat("x", 2000), Attributes: []metadata.Attribute{{}},
		Extensions: metadata.Extensions{NodeCountry: "Croatia"}}
	err = idp.Validate()
	for _, field := range []string{"IDPConfig.EntityID", "IDPConfig.SSO", "IDPConfig.SigningCertificates",
		"IDPConfig.Attributes[0].Name", "IDPConfig.Extensions.NodeCountry"} {
		require.Contains(t, err.Error(), field)
	}
	_, err = metadata.NewIDP(idp)
	require.ErrorIs(t, err, metadata.ErrInvalidConfig)
}

// TestEntityValidate: Element refuses descriptors that would publish bad
// metadata.
func TestEntityValidate(t *testing.T) {
	t.Parallel()
	_, certs := keyPairs(t, samltest.P256, 1)
	good := func() *metadata.EntityDescriptor {
		ed, err := metadata.NewSP(spConfig(certs))
		require.NoError(t, err)
		return ed
	}
	cases := map[string]func(*metadata.EntityDescriptor){
		"empty entityID":    func(e *metadata.EntityDescriptor) { e.EntityID = "" },
		"no role":           func(e *metadata.EntityDescriptor) { e.SP = nil },
		"no ACS":            func(e *metadata.EntityDescriptor) { e.SP.AssertionConsumerServices = nil },
		"duplicate index":   func(e *metadata.EntityDescriptor) { e.SP.AssertionConsumerServices[1].Index = 0 },
		"relative ACS":      func(e *metadata.EntityDescriptor) { e.SP.AssertionConsumerServices[0].Location = "/acs" },
		"key without certs": func(e *metadata.EntityDescriptor) { e.SP.KeyDescriptors[0].Certificates = nil },
		"bad key use":       func(e *metadata.EntityDescriptor) { e.SP.KeyDescriptors[0].Use = "both" },
		"nil cert":          func(e *metadata.EntityDescriptor) { e.SP.KeyDescriptors[0].Certificates = []*x509.Certificate{nil} },
		"bad contact":       func(e *metadata.EntityDescriptor) { e.ContactPersons[0].Type = "" },
		"bad SLO":           func(e *metadata.EntityDescriptor) { e.SP.SingleLogoutServices[0].Binding = "" },
		"empty NameID fmt":  func(e *metadata.EntityDescriptor) { e.SP.NameIDFormats = []string{" "} },
		"nil other role":    func(e *metadata.EntityDescriptor) { e.OtherRoles = append(e.OtherRoles, nil) },
		"IdP without SSO": func(e *metadata.EntityDescriptor) {
			e.IDP = &metadata.IDPSSODescriptor{}
		},
	}
	for name, mutate := range cases {
		t.Run(name, func(t *testing.T) {
			ed := good()
			mutate(ed)
			_, err := ed.Element()
			require.ErrorIs(t, err, metadata.ErrInvalidConfig)
			_, err = ed.Marshal()
			require.ErrorIs(t, err, metadata.ErrInvalidConfig)
			_, err = ed.Sign(nil)
			require.True(t, errors.Is(err, metadata.ErrInvalidConfig))
		})
	}
}

// TestDefaultACSRules follows SAML metadata §2.2.3 for choosing the
// default AssertionConsumerService.
func TestDefaultACSRules(t *testing.T) {
	t.Parallel()
	ep := func(i int, d metadata.OptionalBool) metadata.IndexedEndpoint {
		return metadata.IndexedEndpoint{Index: i, IsDefault: d}
	}
	cases := []struct {
		name string
		eps  []metadata.IndexedEndpoint
		want int
	}{
		{"explicit default wins", []metadata.IndexedEndpoint{ep(0, metadata.Unset), ep(1, metadata.True)}, 1},
		{"first unset beats false", []metadata.IndexedEndpoint{ep(0, metadata.False), ep(1, metadata.Unset)}, 1},
		{"all false: first", []metadata.IndexedEndpoint{ep(3, metadata.False), ep(1, metadata.False)}, 3},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sp := &metadata.SPSSODescriptor{AssertionConsumerServices: tc.eps}
			got, err := sp.DefaultACS()
			require.NoError(t, err)
			require.Equal(t, tc.want, got.Index)
		})
	}
	_, err := (&metadata.SPSSODescriptor{}).DefaultACS()
	require.ErrorIs(t, err, metadata.ErrNoEndpoint)
}

// TestValidRoleExpiry: a role descriptor's own validUntil expires the
// cached metadata too.
func TestValidRoleExpiry(t *testing.T) {
	t.Parallel()
	_, certs := keyPairs(t, samltest.P256, 1)
	ed, err := metadata.NewIDP(idpConfig(certs))
	require.NoError(t, err)
	ed.ValidUntil = time.Time{}
	require.NoError(t, ed.Valid(fixedNow.Add(100*365*24*time.Hour)), "no validUntil: always valid")
	ed.IDP.ValidUntil = fixedNow
	require.ErrorIs(t, ed.Valid(fixedNow), metadata.ErrExpired)
	require.NoError(t, ed.Valid(fixedNow.Add(-time.Second)))
}
