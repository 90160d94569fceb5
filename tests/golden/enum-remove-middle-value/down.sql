-- schemakit:down-checksum sha256:c40a6b29066c37512bb105e4fa9eea07acbfc2ccce6120daa11d780f9a248a23
ALTER TYPE "public"."mood" ADD VALUE 'ok' BEFORE 'happy';
