"""Drives Trent through boto3 (a second real client) and prints what it saw as JSON.

Usage: python3 boto3_smoke.py <endpoint-url>
"""
import json
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

kms = boto3.client(
    "kms",
    endpoint_url=sys.argv[1],
    region_name="eu-west-1",
    aws_access_key_id="210987654321",
    aws_secret_access_key="boto3-secret",
    config=Config(retries={"max_attempts": 1}),
)


def error_of(call, **kwargs):
    try:
        call(**kwargs)
    except ClientError as e:
        return {
            "code": e.response["Error"]["Code"],
            "message": e.response["Error"]["Message"],
            "status": e.response["ResponseMetadata"]["HTTPStatusCode"],
        }
    return None


out = {}
key = kms.create_key(Description="from boto3", Tags=[{"TagKey": "team", "TagValue": "blue"}])["KeyMetadata"]
out["key"] = {k: key[k] for k in ("KeyId", "Arn", "AWSAccountId", "KeyState", "KeySpec", "Description")}
out["creationDateType"] = type(key["CreationDate"]).__name__
kms.tag_resource(KeyId=key["KeyId"], Tags=[{"TagKey": f"k{i:02d}", "TagValue": str(i)} for i in range(7)])
kms.untag_resource(KeyId=key["Arn"], TagKeys=["k03", "absent"])
pages = kms.get_paginator("list_resource_tags").paginate(KeyId=key["KeyId"], PaginationConfig={"PageSize": 3})
out["pages"] = [[t["TagKey"] for t in page["Tags"]] for page in pages]
kms.create_alias(AliasName="alias/boto3", TargetKeyId=key["KeyId"])
out["viaAlias"] = kms.describe_key(KeyId="alias/boto3")["KeyMetadata"]["KeyId"]
out["reserved"] = error_of(kms.tag_resource, KeyId=key["KeyId"], Tags=[{"TagKey": "AWS:x", "TagValue": "1"}])
out["tooLong"] = error_of(kms.tag_resource, KeyId=key["KeyId"], Tags=[{"TagKey": "x" * 129, "TagValue": "1"}])
out["notFound"] = error_of(kms.list_resource_tags, KeyId="fake-key-id")
deletion = kms.schedule_key_deletion(KeyId=key["KeyId"], PendingWindowInDays=7)
out["deletion"] = {"KeyId": deletion["KeyId"], "KeyState": deletion["KeyState"], "PendingWindowInDays": deletion["PendingWindowInDays"]}
out["pending"] = error_of(kms.tag_resource, KeyId=key["KeyId"], Tags=[{"TagKey": "a", "TagValue": "b"}])

# Cryptography: Encrypt/Decrypt with a context, GenerateDataKey, and AWS's empty InvalidCiphertextException text.
crypto_key = kms.create_key(Description="crypto from boto3")["KeyMetadata"]
enc = kms.encrypt(KeyId=crypto_key["KeyId"], Plaintext=b"boto3 secret", EncryptionContext={"app": "smoke"})
dec = kms.decrypt(CiphertextBlob=enc["CiphertextBlob"], EncryptionContext={"app": "smoke"})
out["crypto"] = {
    "encryptKeyId": enc["KeyId"],
    "algorithm": enc["EncryptionAlgorithm"],
    "plaintext": dec["Plaintext"].decode(),
    "decryptKeyId": dec["KeyId"],
    "materialIdLength": len(dec["KeyMaterialId"]),
}
data_key = kms.generate_data_key(KeyId=crypto_key["Arn"], KeySpec="AES_256")
opened = kms.decrypt(CiphertextBlob=data_key["CiphertextBlob"])
out["dataKey"] = {"length": len(data_key["Plaintext"]), "roundTrip": opened["Plaintext"] == data_key["Plaintext"]}
out["wrongContext"] = error_of(kms.decrypt, CiphertextBlob=enc["CiphertextBlob"], EncryptionContext={"app": "other"})
print(json.dumps(out))
