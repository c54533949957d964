using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace L4Re.Regulatory.Regdb.Signature;

/// <summary>Loads trust-anchor certificates (the kernel's regdb keyring) from PEM or DER.</summary>
public static class RegdbCertificates
{
    /// <summary>
    /// Loads every certificate in <paramref name="data"/>: one or more PEM <c>CERTIFICATE</c> blocks
    /// (like the kernel's <c>certs/*.x509</c> sources, e.g. wireless-regdb's <c>wens.x509.pem</c>) or one DER certificate.
    /// </summary>
    /// <exception cref="RegulatoryDataException">No certificate could be read.</exception>
    public static IReadOnlyList<X509Certificate2> Load(ReadOnlySpan<byte> data)
    {
        var result = new List<X509Certificate2>();
        try
        {
            if (data.IndexOf("-----BEGIN"u8) >= 0)
            {
                var text = Encoding.ASCII.GetString(data).AsSpan();
                while (PemEncoding.TryFind(text, out var fields))
                {
                    if (text[fields.Label].SequenceEqual("CERTIFICATE"))
                    {
                        var der = Convert.FromBase64String(text[fields.Base64Data].ToString());
                        result.Add(X509CertificateLoader.LoadCertificate(der));
                    }
                    text = text[fields.Location.End..];
                }
            }
            else if (!data.IsEmpty)
            {
                result.Add(X509CertificateLoader.LoadCertificate(data));
            }
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            throw new RegulatoryDataException(RegulatoryDataSource.Certificate, $"cannot read certificate: {e.Message}", innerException: e);
        }
        if (result.Count == 0)
            throw new RegulatoryDataException(RegulatoryDataSource.Certificate, "no certificate found (expected PEM CERTIFICATE blocks or DER)");
        return result;
    }

    /// <summary>Loads the certificates in a file (see <see cref="Load(ReadOnlySpan{byte})"/>).</summary>
    public static IReadOnlyList<X509Certificate2> LoadFile(string path) => Load(File.ReadAllBytes(path));
}
