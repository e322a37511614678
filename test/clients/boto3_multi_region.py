"""Multi-Region keys through boto3 (a second real client): a primary in us-east-1, a replica with its own
tags in eu-west-1, a ciphertext made in one Region decrypted in the other. Prints what it saw as JSON.

Usage: python3 boto3_multi_region.py <endpoint-url>
"""
import json
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError


def client(region):
    return boto3.client(
        "kms",
        endpoint_url=sys.argv[1],
        region_name=region,
        aws_access_key_id="210987654321",
        aws_secret_access_key="boto3-secret",
        config=Config(retries={"max_attempts": 1}),
    )


east, west = client("us-east-1"), client("eu-west-1")
key = east.create_key(MultiRegion=True, Tags=[{"TagKey": "site", "TagValue": "east"}])["KeyMetadata"]
replica = east.replicate_key(
    KeyId=key["KeyId"], ReplicaRegion="eu-west-1", Description="west copy", Tags=[{"TagKey": "site", "TagValue": "west"}]
)
try:
    east.replicate_key(KeyId=key["KeyId"], ReplicaRegion="eu-west-1", Tags=[{"TagKey": "aws:x", "TagValue": "y"}])
    bad_tags = None
except ClientError as e:
    bad_tags = {"code": e.response["Error"]["Code"], "message": e.response["Error"]["Message"]}
blob = east.encrypt(KeyId=key["KeyId"], Plaintext=b"from east")["CiphertextBlob"]
print(
    json.dumps(
        {
            "keyId": key["KeyId"],
            "replicaArn": replica["ReplicaKeyMetadata"]["Arn"],
            "replicaType": replica["ReplicaKeyMetadata"]["MultiRegionConfiguration"]["MultiRegionKeyType"],
            "replicaTags": replica["ReplicaTags"],
            "badTags": bad_tags,
            "westTags": west.list_resource_tags(KeyId=key["KeyId"])["Tags"],
            "eastTags": east.list_resource_tags(KeyId=key["KeyId"])["Tags"],
            "westDescription": west.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["Description"],
            "decryptedInWest": west.decrypt(CiphertextBlob=blob)["Plaintext"].decode(),
        }
    )
)
