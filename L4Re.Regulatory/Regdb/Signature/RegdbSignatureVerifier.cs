using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;

namespace L4Re.Regulatory.Regdb.Signature;

/// <summary>
/// Verifies regulatory.db signatures against a fixed set of trusted certificates (the kernel's regdb keyring),
/// keeping their RSA public keys. Each check: the strict structure check of <see cref="RegdbSignature"/>;
/// decoding with System.Security.Cryptography.Pkcs's <see cref="SignedCms"/> (detached content); then the
/// RSA PKCS#1 v1.5 SHA-256 signature — over the content itself when there are no signed attributes (the
/// profile wireless-regdb and Debian use), otherwise by <see cref="SignerInfo.CheckSignature(X509Certificate2Collection, bool)"/>,
/// which also checks the message-digest attribute.
/// </summary>
public sealed class RegdbSignatureVerifier : IDisposable
{
    private readonly RegdbSignature.TrustAnchor[] _anchors;

    /// <summary>Creates a verifier for <paramref name="trusted"/>.</summary>
    /// <exception cref="RegulatoryDataException">No certificate given, or one without an RSA key.</exception>
    public RegdbSignatureVerifier(IReadOnlyList<X509Certificate2> trusted)
    {
        ArgumentNullException.ThrowIfNull(trusted);
        if (trusted.Count == 0)
            throw new RegulatoryDataException(RegulatoryDataSource.Certificate, "no trusted certificates given");
        _anchors = trusted.Select(RegdbSignature.TrustAnchor.Of).ToArray();
    }

    /// <summary>The trusted certificates.</summary>
    public IReadOnlyList<X509Certificate2> Trusted => _anchors.Select(a => a.Certificate).ToArray();

    /// <summary>Verifies <paramref name="signature"/> over <paramref name="database"/>; returns the signing certificate.</summary>
    /// <exception cref="RegulatoryDataException">The signature is malformed, made by an untrusted key, or does not verify.</exception>
    public X509Certificate2 Verify(ReadOnlySpan<byte> database, ReadOnlySpan<byte> signature)
    {
        var (anchor, signedAttributes) = RegdbSignature.CheckStructure(signature, _anchors);
        var cert = anchor.Certificate;
        var content = database.ToArray();
        bool valid;
        try
        {
            var cms = new SignedCms(new ContentInfo(content), detached: true);
            cms.Decode(signature);
            var signer = cms.SignerInfos[0];
            if (signedAttributes)
            {
                signer.CheckSignature([cert], verifySignatureOnly: true);
                valid = true;
            }
            else
            {
                valid = anchor.Key.VerifyData(content, signer.GetSignature(), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            }
        }
        catch (CryptographicException e)
        {
            throw RegdbSignature.Error($"signature does not verify with {cert.Subject}: {e.Message}", e);
        }
        if (!valid)
            throw RegdbSignature.Error($"signature does not verify with {cert.Subject}");
        return cert;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var anchor in _anchors)
            anchor.Key.Dispose();
    }
}
