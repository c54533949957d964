using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace L4Re.Regulatory.Regdb.Signature;

/// <summary>
/// Verifies regulatory.db.p7s: a detached DER CMS SignedData over regulatory.db, SHA-256 with RSA, made by
/// one of the given certificates — what the kernel's <c>regdb_has_valid_signature()</c> asks of
/// <c>verify_pkcs7_signature()</c> with the builtin regdb keyring (Linux 6.1 net/wireless/reg.c).
/// </summary>
/// <remarks>
/// Before the cryptographic check (see <see cref="RegdbSignatureVerifier"/>), the structure must match the profile
/// wireless-regdb's <c>openssl smime -sign -binary -noattr -md sha256 -outform DER</c> produces, read
/// strictly as DER: ContentInfo(signedData) with SignedData version 1 (3 with a key-identifier signer),
/// exactly the SHA-256 digest algorithm, id-data content that is absent (detached), no CRLs, one SignerInfo
/// with a consistent version, SHA-256 digest, rsaEncryption or sha256WithRSAEncryption, no unsigned
/// attributes; embedded certificates must be byte-identical to trusted ones (they are never trusted by
/// themselves). Together with the signature this leaves no unauthenticated byte, so any change to the
/// database or the signature is refused.
/// </remarks>
public static class RegdbSignature
{
    private const string OidSignedData = "1.2.840.113549.1.7.2";
    private const string OidData = "1.2.840.113549.1.7.1";
    private const string OidSha256 = "2.16.840.1.101.3.4.2.1";
    private const string OidRsa = "1.2.840.113549.1.1.1";
    private const string OidSha256Rsa = "1.2.840.113549.1.1.11";

    /// <summary>
    /// Verifies <paramref name="signature"/> over <paramref name="database"/> against <paramref name="trusted"/>
    /// and returns the certificate that signed it. For many checks against the same keys use a
    /// <see cref="RegdbSignatureVerifier"/>, which keeps the public keys.
    /// </summary>
    /// <exception cref="RegulatoryDataException">The signature is malformed, made by an untrusted key, or does not verify.</exception>
    public static X509Certificate2 Verify(ReadOnlySpan<byte> database, ReadOnlySpan<byte> signature, IReadOnlyList<X509Certificate2> trusted)
    {
        using var verifier = new RegdbSignatureVerifier(trusted);
        return verifier.Verify(database, signature);
    }

    /// <summary>Checks the structure and returns the signer's identity, its trusted certificate and whether signed attributes are present.</summary>
    internal static (TrustAnchor Anchor, bool SignedAttributes) CheckStructure(ReadOnlySpan<byte> signature, IReadOnlyList<TrustAnchor> trusted)
    {
        if (signature.IsEmpty)
            throw Error("signature is empty");
        SignerId signer;
        try
        {
            signer = CheckProfile(signature.ToArray(), trusted);
        }
        catch (AsnContentException e)
        {
            throw Error($"not a DER CMS structure: {e.Message}", e);
        }
        var cert = FindSigner(signer, trusted)
            ?? throw Error($"signer ({signer.Describe()}) is not one of the trusted certificates");
        return (cert, signer.SignedAttributes);
    }

    private static SignerId CheckProfile(byte[] signature, IReadOnlyList<TrustAnchor> trusted)
    {
        var reader = new AsnReader(signature, AsnEncodingRules.DER);
        var contentInfo = reader.ReadSequence();
        reader.ThrowIfNotEmpty();
        Expect(contentInfo.ReadObjectIdentifier() == OidSignedData, "content type is not signedData");
        var explicitContent = contentInfo.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0));
        contentInfo.ThrowIfNotEmpty();
        var signedData = explicitContent.ReadSequence();
        explicitContent.ThrowIfNotEmpty();

        var version = ReadSmallInteger(signedData);
        var digestAlgorithms = signedData.ReadSetOf();
        Expect(ReadAlgorithm(digestAlgorithms) == OidSha256, "digest algorithm is not SHA-256");
        Expect(!digestAlgorithms.HasData, "more than one digest algorithm");

        var encapsulated = signedData.ReadSequence();
        Expect(encapsulated.ReadObjectIdentifier() == OidData, "signed content type is not id-data");
        Expect(!encapsulated.HasData, "content is embedded, expected a detached signature");

        var certificatesTag = new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true);
        if (signedData.HasData && signedData.PeekTag() == certificatesTag)
        {
            var certificates = signedData.ReadSetOf(certificatesTag);
            while (certificates.HasData)
            {
                var der = certificates.ReadEncodedValue();
                if (!IsTrusted(der.Span, trusted))
                    Expect(false, $"carries certificate {Describe(der)}, which is not one of the trusted certificates");
            }
        }
        Expect(!signedData.HasData || signedData.PeekTag() != new Asn1Tag(TagClass.ContextSpecific, 1, isConstructed: true),
            "carries revocation lists");

        var signerInfos = signedData.ReadSetOf();
        signedData.ThrowIfNotEmpty();
        var signerInfo = signerInfos.ReadSequence();
        Expect(!signerInfos.HasData, "has more than one signer");

        var signerVersion = ReadSmallInteger(signerInfo);
        SignerId id;
        if (signerInfo.PeekTag() == Asn1Tag.Sequence)
        {
            var issuerAndSerial = signerInfo.ReadSequence();
            var issuer = issuerAndSerial.ReadEncodedValue().ToArray();
            var serial = issuerAndSerial.ReadIntegerBytes().ToArray();
            issuerAndSerial.ThrowIfNotEmpty();
            Expect(signerVersion == 1, "signer version is not 1 for an issuer-and-serial signer");
            id = new SignerId(issuer, serial, null, false);
        }
        else
        {
            var ski = signerInfo.ReadOctetString(new Asn1Tag(TagClass.ContextSpecific, 0));
            Expect(signerVersion == 3, "signer version is not 3 for a key-identifier signer");
            id = new SignerId(null, null, ski, false);
        }
        Expect(version == signerVersion, $"SignedData version {version} does not match the signer's version {signerVersion}");
        Expect(ReadAlgorithm(signerInfo) == OidSha256, "signer digest algorithm is not SHA-256");
        var signedAttributesTag = new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true);
        if (signerInfo.PeekTag() == signedAttributesTag)
        {
            signerInfo.ReadEncodedValue(); // covered by the signature
            id = id with { SignedAttributes = true };
        }
        var algorithm = ReadAlgorithm(signerInfo);
        Expect(algorithm is OidRsa or OidSha256Rsa, $"signature algorithm {algorithm} is not RSA");
        Expect(signerInfo.ReadOctetString().Length > 0, "signature value is empty");
        Expect(!signerInfo.HasData, "has unsigned attributes");
        return id;
    }

    private static bool IsTrusted(ReadOnlySpan<byte> der, IReadOnlyList<TrustAnchor> trusted)
    {
        foreach (var t in trusted)
            if (der.SequenceEqual(t.Raw))
                return true;
        return false;
    }

    private static TrustAnchor? FindSigner(SignerId id, IReadOnlyList<TrustAnchor> trusted)
    {
        foreach (var t in trusted)
        {
            if (id.Issuer is not null)
            {
                if (t.Issuer.AsSpan().SequenceEqual(id.Issuer) && t.Serial.AsSpan().SequenceEqual(id.Serial))
                    return t;
            }
            else if (t.KeyId is not null && t.KeyId.AsSpan().SequenceEqual(id.KeyId))
            {
                return t;
            }
        }
        return null;
    }

    private static string Describe(ReadOnlyMemory<byte> certificate)
    {
        try
        {
            using var c = X509CertificateLoader.LoadCertificate(certificate.Span);
            return c.Subject;
        }
        catch (CryptographicException)
        {
            return "(unreadable)";
        }
    }

    private static string ReadAlgorithm(AsnReader reader)
    {
        var sequence = reader.ReadSequence();
        var oid = sequence.ReadObjectIdentifier();
        if (sequence.HasData)
            sequence.ReadNull();
        sequence.ThrowIfNotEmpty();
        return oid;
    }

    private static int ReadSmallInteger(AsnReader reader)
    {
        Expect(reader.TryReadInt32(out var value) && value is >= 0 and < 16, "version is not a small integer");
        return value;
    }

    private static void Expect(bool condition, string what)
    {
        if (!condition)
            throw Error($"unexpected CMS structure: {what}");
    }

    internal static RegulatoryDataException Error(string message, Exception? inner = null) =>
        new(RegulatoryDataSource.Signature, message, innerException: inner);

    /// <summary>A trusted certificate with the parts the checks compare, decoded once.</summary>
    internal sealed record TrustAnchor(X509Certificate2 Certificate, byte[] Raw, byte[] Issuer, byte[] Serial, byte[]? KeyId, RSA Key)
    {
        public static TrustAnchor Of(X509Certificate2 cert) => new(cert, cert.RawData, cert.IssuerName.RawData, cert.SerialNumberBytes.ToArray(),
            cert.Extensions.OfType<X509SubjectKeyIdentifierExtension>().FirstOrDefault()?.SubjectKeyIdentifierBytes.ToArray(),
            cert.GetRSAPublicKey() ?? throw new RegulatoryDataException(RegulatoryDataSource.Certificate, $"{cert.Subject} has no RSA public key"));
    }

    private sealed record SignerId(byte[]? Issuer, byte[]? Serial, byte[]? KeyId, bool SignedAttributes)
    {
        public string Describe() => Issuer is not null
            ? $"issuer {new X500DistinguishedName(Issuer).Name}, serial {Convert.ToHexString(Serial!)}"
            : $"key id {Convert.ToHexString(KeyId!)}";
    }
}
