package password_test

import (
	"fmt"
	"strings"

	"github.com/eidkit/eidkit/account/password"
)

func ExampleHasher_Verify() {
	h, err := password.New(password.Config{}) // m=19 MiB, t=2, p=1
	if err != nil {
		panic(err)
	}
	enc, err := h.Hash("Tq7#vLp2!mXz")
	if err != nil {
		panic(err)
	}
	fmt.Println(strings.Join(strings.Split(enc, "$")[:4], "$"))

	// A hash taken over from another issuer verifies and asks for a rehash.
	rehash, err := h.Verify("correct horse", "pbkdf2_sha256$1000$saltsaltsalt$F7o7+5VTVzFAO998X6s3AHrDsJVdMiIlgndIMe19NvY=")
	fmt.Println(rehash, err)
	// Output:
	// $argon2id$v=19$m=19456,t=2,p=1
	// true <nil>
}
