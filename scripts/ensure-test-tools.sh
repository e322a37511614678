#!/usr/bin/env bash
# Makes sure the second real clients the tests drive (boto3, the AWS CLI and curl's SigV4 signing) are present,
# installing them from Debian's packages when they are not. Runs before `npm test`.
set -euo pipefail

have_boto3() { python3 -c 'import boto3' >/dev/null 2>&1 || /usr/bin/python3 -c 'import boto3' >/dev/null 2>&1; }
have_aws() { command -v aws >/dev/null 2>&1; }
have_curl() { command -v curl >/dev/null 2>&1; }

if have_boto3 && have_aws && have_curl; then exit 0; fi

packages=()
have_boto3 || packages+=(python3-boto3)
have_aws || packages+=(awscli)
have_curl || packages+=(curl)
echo "test tools missing; installing from apt: ${packages[*]}" >&2
if [ "$(id -u)" -eq 0 ]; then sudo=""; elif command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
  echo "cannot install ${packages[*]}: not root and no sudo. Install them and run npm test again." >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq "${packages[@]}" >/dev/null
have_boto3 && have_aws && have_curl
