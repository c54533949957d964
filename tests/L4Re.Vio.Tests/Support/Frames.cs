using L4Re.Vio.Devices.Net;

namespace L4Re.Vio.Tests.Support;

/// <summary>Ethernet frame builders.</summary>
internal static class Frames
{
    public static MacAddress Mac(int n) => MacAddress.Parse($"02:00:00:00:00:{n:x2}");

    public static byte[] Ethernet(MacAddress dst, MacAddress src, int payloadLength = 46, ushort etherType = 0x0800, byte fill = 0xa5, ushort? vlan = null)
    {
        var tag = vlan is null ? 0 : 4;
        var frame = new byte[14 + tag + payloadLength];
        dst.Write(frame);
        src.Write(frame.AsSpan(6));
        if (vlan is { } id)
        {
            frame[12] = 0x81;
            frame[13] = 0x00;
            frame[14] = (byte)(id >> 8);
            frame[15] = (byte)id;
        }
        frame[12 + tag] = (byte)(etherType >> 8);
        frame[13 + tag] = (byte)etherType;
        for (var i = 0; i < payloadLength; i++)
            frame[14 + tag + i] = (byte)(fill + i);
        return frame;
    }

    public static byte[] Tag(byte[] untagged, ushort vlan)
    {
        var f = new byte[untagged.Length + 4];
        untagged.AsSpan(0, 12).CopyTo(f);
        f[12] = 0x81;
        f[13] = 0;
        f[14] = (byte)(vlan >> 8);
        f[15] = (byte)vlan;
        untagged.AsSpan(12).CopyTo(f.AsSpan(16));
        return f;
    }

    public static byte[] Untag(byte[] tagged)
    {
        var f = new byte[tagged.Length - 4];
        tagged.AsSpan(0, 12).CopyTo(f);
        tagged.AsSpan(16).CopyTo(f.AsSpan(12));
        return f;
    }
}
