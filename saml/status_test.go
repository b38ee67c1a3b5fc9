package saml

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestStatusErrorIs(t *testing.T) {
	tests := []struct {
		name    string
		err     *StatusError
		matches []error
		misses  []error
	}{
		{"request denied", NewStatusError(StatusResponder, StatusRequestDenied, ""),
			[]error{ErrStatusResponder, ErrStatusRequestDenied, &StatusError{Top: StatusResponder, Second: StatusRequestDenied}},
			[]error{ErrStatusRequester, ErrStatusAuthnFailed, &StatusError{Top: StatusRequester, Second: StatusRequestDenied}, &StatusError{}, ErrInvalidMessage}},
		{"authn failed", NewStatusError(StatusResponder, StatusAuthnFailed, "x"),
			[]error{ErrStatusAuthnFailed, ErrStatusResponder}, []error{ErrStatusRequestDenied}},
		{"no authn context", NewStatusError(StatusRequester, StatusNoAuthnContext, ""),
			[]error{ErrStatusNoAuthnContext, ErrStatusRequester}, []error{ErrStatusResponder, ErrStatusQAANotSupported}},
		{"partial logout", NewStatusError(StatusSuccess, StatusPartialLogout, ""),
			[]error{ErrStatusPartialLogout}, []error{ErrStatusResponder}},
		{"top only", NewStatusError(StatusVersionMismatch, "", ""),
			[]error{ErrStatusVersionMismatch}, []error{ErrStatusRequestDenied}},
		{"stork qaa", NewStatusError(StatusRequester, StatusSTORKQAANotSupported, ""),
			[]error{ErrStatusQAANotSupported}, []error{ErrStatusNoAuthnContext}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wrapped := fmt.Errorf("sp: login: %w", tt.err)
			for _, m := range tt.matches {
				require.ErrorIs(t, wrapped, m)
			}
			for _, m := range tt.misses {
				require.False(t, errors.Is(wrapped, m), "%v should not match %v", tt.err, m)
			}
		})
	}
}

func TestStatusErrorStatus(t *testing.T) {
	s := NewStatusError(StatusRequester, StatusRequestDenied, "no").Status()
	require.Equal(t, &Status{Code: StatusRequester, SubCode: StatusRequestDenied, Message: "no"}, s)
	// A status error never converts to a wire success.
	require.Equal(t, StatusResponder, (&StatusError{}).Status().Code)
	require.Equal(t, StatusResponder, (&StatusError{Top: StatusSuccess}).Status().Code)
	require.Contains(t, NewStatusError(StatusRequester, StatusRequestDenied, "no").Error(), "RequestDenied")
	require.Equal(t, StatusResponder, (&Status{}).Element().SelectElement("samlp:StatusCode").SelectAttrValue("Value", ""))
	var nilStatus *Status
	require.Error(t, nilStatus.Err())
	require.False(t, nilStatus.Success())
}

func TestStatusRoundTrip(t *testing.T) {
	tests := []*Status{
		{Code: StatusSuccess},
		{Code: StatusRequester, SubCode: StatusNoAuthnContext, Message: "202015 - invalid value for Level of Assurance"},
		{Code: StatusResponder, Detail: mustElement(t, `<samlp:StatusDetail xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"><x>1</x></samlp:StatusDetail>`)},
	}
	for _, want := range tests {
		el := newRoot("Wrapper")
		el.AddChild(want.Element())
		doc, err := ParseXML(compact(t, el), Limits{})
		require.NoError(t, err)
		got, err := ParseStatus(doc.Root().SelectElement("samlp:Status"))
		require.NoError(t, err)
		require.Equal(t, want.Code, got.Code)
		require.Equal(t, want.SubCode, got.SubCode)
		require.Equal(t, want.Message, got.Message)
		require.Equal(t, want.Detail == nil, got.Detail == nil)
	}
	_, err := ParseStatus(mustElement(t, `<Status/>`))
	require.ErrorIs(t, err, ErrUnexpectedElement)
	_, err = ParseStatus(nil)
	require.ErrorIs(t, err, ErrUnexpectedElement)
}
