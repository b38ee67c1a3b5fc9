package saml

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestLogoutRoundTrip covers the single sign-out messages (N14,
// spec-digest §4.4, §5.4).
func TestLogoutRoundTrip(t *testing.T) {
	t.Run("request", func(t *testing.T) {
		want := sampleLogoutRequest()
		b := serialize(t, want.Element())
		golden(t, "request", b)
		got, err := ParseLogoutRequestBytes(b, Limits{})
		require.NoError(t, err)
		require.NotNil(t, got.Raw)
		got.Raw = nil
		want.Version = Version
		require.Equal(t, want, got)
		require.Equal(t, string(b), string(serialize(t, got.Element())))
	})
	t.Run("response_partial", func(t *testing.T) {
		want := sampleLogoutResponse()
		b := serialize(t, want.Element())
		golden(t, "response_partial", b)
		got, err := ParseLogoutResponseBytes(b, Limits{})
		require.NoError(t, err)
		require.NotNil(t, got.Raw)
		got.Raw = nil
		want.Version = Version
		require.Equal(t, want, got)
		require.NoError(t, got.Err(), "PartialLogout is a second-level code under Success")
		require.True(t, got.Partial())
		got.Status.SubCode = ""
		require.False(t, got.Partial())
		got.Status.SubCode = StatusPartialLogout
		require.Equal(t, string(b), string(serialize(t, got.Element())))
	})
	t.Run("encrypted_id", func(t *testing.T) {
		want := sampleLogoutRequest()
		want.NameID = nil
		want.EncryptedID = mustElement(t, `<saml:EncryptedID xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"><x/></saml:EncryptedID>`)
		got, err := ParseLogoutRequestBytes(compact(t, want.Element()), Limits{})
		require.NoError(t, err)
		require.Nil(t, got.NameID)
		require.NotNil(t, got.EncryptedID)
	})
}

func TestParseLogoutRequestErrors(t *testing.T) {
	const head = `<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_l" Version="2.0" IssueInstant="2026-11-22T03:00:00Z"`
	tests := []struct {
		name, attrs, body string
		want              error
		field             string
	}{
		{"ok", "", `<saml:Issuer>sp</saml:Issuer><saml:NameID>n</saml:NameID><samlp:SessionIndex>s</samlp:SessionIndex>`, nil, ""},
		{"base id", "", `<saml:BaseID/>`, nil, ""},
		{"no identifier", "", `<saml:Issuer>sp</saml:Issuer>`, ErrInvalidMessage, "NameID"},
		{"only session index", "", `<samlp:SessionIndex>s</samlp:SessionIndex>`, ErrInvalidMessage, "SessionIndex"},
		{"two name ids", "", `<saml:NameID>a</saml:NameID><saml:NameID>b</saml:NameID>`, ErrInvalidMessage, "NameID"},
		{"name id and encrypted id", "", `<saml:NameID>a</saml:NameID><saml:EncryptedID/>`, ErrInvalidMessage, "EncryptedID"},
		{"bad NotOnOrAfter", ` NotOnOrAfter="later"`, `<saml:NameID>a</saml:NameID>`, ErrBadTime, "NotOnOrAfter"},
		{"empty name id", "", `<saml:NameID/>`, ErrInvalidMessage, "NameID"},
		{"duplicate ID", "", `<saml:NameID>a</saml:NameID><samlp:SessionIndex ID="_l">s</samlp:SessionIndex>`, ErrDuplicateID, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := ParseLogoutRequestBytes([]byte(head+tt.attrs+">"+tt.body+`</samlp:LogoutRequest>`), Limits{})
			if tt.want == nil {
				require.NoError(t, err)
				require.True(t, r.NameID != nil || r.BaseID != nil)
				return
			}
			require.ErrorIs(t, err, tt.want)
			if tt.field != "" {
				var fe *FieldError
				require.ErrorAs(t, err, &fe)
				require.Equal(t, tt.field, fe.Field)
			}
		})
	}
}

func TestParseLogoutResponseErrors(t *testing.T) {
	const head = `<samlp:LogoutResponse xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_lr" Version="2.0" IssueInstant="2026-11-22T03:00:00Z">`
	_, err := ParseLogoutResponseBytes([]byte(head+`</samlp:LogoutResponse>`), Limits{})
	require.ErrorIs(t, err, ErrInvalidMessage)
	_, err = ParseLogoutResponseBytes([]byte(head+`<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status><x/></samlp:LogoutResponse>`), Limits{})
	var fe *FieldError
	require.ErrorAs(t, err, &fe)
	require.Equal(t, "x", fe.Field)
}
