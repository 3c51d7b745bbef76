// Package deploy holds no code: this folder has the files that run policybot
// for an office (Dockerfile, systemd unit, example configurations), and the
// package's tests check them: the build is static, the unit verifies, every
// example configuration loads and validates.
package deploy
