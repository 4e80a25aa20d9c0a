/**
 * Attribute names (arguments and exported attributes) of the non-alicloud resources the ecs-pulse
 * constructs use, whose schemas are not vendored. Extracted once from the generated bindings of
 * the prebuilt `@cdktf/provider-random@12`, `-tls@11`, `-local@11` and `-time@11` packages (the
 * providers' documented schemas). The checker uses them only to validate references such as
 * `${random_password.token.result}`; bodies of these resources are not checked.
 */
export const OTHER_PROVIDER_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  random_password: ['bcrypt_hash', 'id', 'keepers', 'length', 'lower', 'min_lower', 'min_numeric', 'min_special', 'min_upper', 'number', 'numeric', 'override_special', 'result', 'special', 'upper'],
  random_string: ['id', 'keepers', 'length', 'lower', 'min_lower', 'min_numeric', 'min_special', 'min_upper', 'number', 'numeric', 'override_special', 'result', 'special', 'upper'],
  random_id: ['b64_std', 'b64_url', 'byte_length', 'dec', 'hex', 'id', 'keepers', 'prefix'],
  random_uuid: ['id', 'keepers', 'result'],
  random_integer: ['id', 'keepers', 'max', 'min', 'result', 'seed'],
  random_pet: ['id', 'keepers', 'length', 'prefix', 'separator'],
  tls_private_key: ['algorithm', 'ecdsa_curve', 'id', 'private_key_openssh', 'private_key_pem', 'private_key_pem_pkcs8', 'public_key_fingerprint_md5', 'public_key_fingerprint_sha256', 'public_key_openssh', 'public_key_pem', 'rsa_bits'],
  local_file: ['content', 'content_base64', 'content_base64sha256', 'content_base64sha512', 'content_md5', 'content_sha1', 'content_sha256', 'content_sha512', 'directory_permission', 'file_permission', 'filename', 'id', 'sensitive_content', 'source'],
  local_sensitive_file: ['content', 'content_base64', 'content_base64sha256', 'content_base64sha512', 'content_md5', 'content_sha1', 'content_sha256', 'content_sha512', 'directory_permission', 'file_permission', 'filename', 'id', 'source'],
  time_offset: ['base_rfc3339', 'day', 'hour', 'id', 'minute', 'month', 'offset_days', 'offset_hours', 'offset_minutes', 'offset_months', 'offset_seconds', 'offset_years', 'rfc3339', 'second', 'triggers', 'unix', 'year'],
  time_static: ['day', 'hour', 'id', 'minute', 'month', 'rfc3339', 'second', 'triggers', 'unix', 'year'],
  time_sleep: ['create_duration', 'destroy_duration', 'id', 'triggers'],
  time_rotating: ['day', 'hour', 'id', 'minute', 'month', 'rfc3339', 'rotation_days', 'rotation_hours', 'rotation_minutes', 'rotation_months', 'rotation_rfc3339', 'rotation_years', 'second', 'triggers', 'unix', 'year'],
  null_resource: ['id', 'triggers'],
};
