using System.Security.Cryptography.X509Certificates;

namespace L4Re.Regulatory.Regdb.Signature;

/// <summary>How <see cref="RegulatoryDbLoader"/> treats signatures.</summary>
public sealed class RegdbLoadOptions
{
    /// <summary>
    /// Whether a valid signature is required (the kernel's <c>CONFIG_CFG80211_REQUIRE_SIGNED_REGDB</c>).
    /// Default true.
    /// </summary>
    public bool RequireSignature { get; init; } = true;

    /// <summary>The certificates whose keys may sign the database (the kernel's <c>.builtin_regdb_keys</c>).</summary>
    public IReadOnlyList<X509Certificate2> TrustedCertificates { get; init; } = [];
}

/// <summary>
/// Loads regulatory.db like the kernel's <c>valid_regdb()</c>: header, then the signature when required,
/// then the structure. All-or-nothing: either a complete validated database or a
/// <see cref="RegulatoryDataException"/>.
/// </summary>
public static class RegulatoryDbLoader
{
    /// <summary>Validates and decodes <paramref name="image"/>, verifying <paramref name="signature"/> when required.</summary>
    /// <exception cref="RegulatoryDataException">The image or the signature is refused.</exception>
    public static RegulatoryDatabase Load(ReadOnlySpan<byte> image, ReadOnlySpan<byte> signature, RegdbLoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.RequireSignature)
        {
            if (signature.IsEmpty)
                throw new RegulatoryDataException(RegulatoryDataSource.Signature, "signature is required but missing");
            using var verifier = new RegdbSignatureVerifier(options.TrustedCertificates);
            verifier.Verify(image, signature);
        }
        return RegulatoryDbReader.Read(image);
    }

    /// <summary>Loads <paramref name="databasePath"/> and, when required, <paramref name="signaturePath"/>.</summary>
    /// <exception cref="RegulatoryDataException">The image or the signature is refused.</exception>
    public static RegulatoryDatabase LoadFiles(string databasePath, string? signaturePath, RegdbLoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(databasePath);
        var image = File.ReadAllBytes(databasePath);
        var signature = signaturePath is null ? [] : File.ReadAllBytes(signaturePath);
        return Load(image, signature, options);
    }
}
