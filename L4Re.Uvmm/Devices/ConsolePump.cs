using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Microsoft.Extensions.Logging;

namespace L4Re.Uvmm.Devices;

/// <summary>
/// Adapters from a guest console byte stream (<see cref="Uart16550.Output"/>) to a <see cref="TextWriter"/>
/// (stdout) or an <see cref="ILogger"/>. The bytes are decoded as UTF-8; sequences split across reads are kept
/// together. Each pump runs until the pipe completes or the token is cancelled.
/// </summary>
public static partial class ConsolePump
{
    /// <summary>Copies the console to <paramref name="writer"/>, flushing after every chunk.</summary>
    /// <param name="reader">The console output.</param>
    /// <param name="writer">The destination, e.g. <see cref="Console.Out"/>.</param>
    /// <param name="cancellationToken">Stops the pump.</param>
    public static async Task ToTextWriterAsync(PipeReader reader, TextWriter writer, CancellationToken cancellationToken = default)
    {
        var decoder = Encoding.UTF8.GetDecoder();
        var text = new StringBuilder();
        while (true)
        {
            ReadResult result;
            try
            {
                result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            text.Clear();
            Decode(decoder, result.Buffer, text);
            reader.AdvanceTo(result.Buffer.End);
            if (text.Length > 0)
            {
                await writer.WriteAsync(text, cancellationToken).ConfigureAwait(false);
                await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            if (result.IsCompleted || result.IsCanceled)
                return;
        }
    }

    internal static void Decode(Decoder decoder, ReadOnlySequence<byte> bytes, StringBuilder destination)
    {
        Span<char> chars = stackalloc char[256];
        foreach (var segment in bytes)
        {
            var span = segment.Span;
            while (span.Length > 0)
            {
                decoder.Convert(span, chars, flush: false, out var used, out var produced, out _);
                destination.Append(chars[..produced]);
                span = span[used..];
            }
        }
    }

    /// <summary>Logs every complete console line at <see cref="LogLevel.Information"/> (a partial last line when the pipe completes).</summary>
    /// <param name="reader">The console output.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="cancellationToken">Stops the pump.</param>
    public static async Task ToLoggerAsync(PipeReader reader, ILogger logger, CancellationToken cancellationToken = default)
    {
        var transcript = new ConsoleTranscript();
        var emitted = 0;
        while (true)
        {
            ReadResult result;
            try
            {
                result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            transcript.Append(result.Buffer);
            reader.AdvanceTo(result.Buffer.End);
            var text = transcript.Text;
            int newline;
            while ((newline = text.IndexOf('\n', emitted)) >= 0)
            {
                LogLine(logger, text[emitted..newline].TrimEnd('\r'));
                emitted = newline + 1;
            }
            if (result.IsCompleted || result.IsCanceled)
            {
                if (emitted < text.Length)
                    LogLine(logger, text[emitted..]);
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "guest: {Line}")]
    private static partial void LogLine(ILogger logger, string line);
}

/// <summary>
/// Accumulates console output as text (for <c>--until</c> checks, tests and transcripts). Not thread-safe: drain
/// it from one thread.
/// </summary>
public sealed class ConsoleTranscript
{
    private readonly StringBuilder _text = new();
    private readonly Decoder _decoder = Encoding.UTF8.GetDecoder();

    /// <summary>Everything received so far.</summary>
    public string Text => _text.ToString();

    /// <summary>The text from character <paramref name="start"/> on (empty when it is past the end).</summary>
    /// <param name="start">A character index.</param>
    public string TextFrom(int start)
    {
        start = Math.Clamp(start, 0, _text.Length);
        return _text.ToString(start, _text.Length - start);
    }

    /// <summary>Number of characters received.</summary>
    public int Length => _text.Length;

    /// <summary>Appends bytes.</summary>
    /// <param name="bytes">Console bytes.</param>
    public void Append(ReadOnlySequence<byte> bytes) => ConsolePump.Decode(_decoder, bytes, _text);

    /// <summary>Appends bytes.</summary>
    /// <param name="bytes">Console bytes.</param>
    public void Append(ReadOnlySpan<byte> bytes)
    {
        Span<char> chars = stackalloc char[256];
        while (bytes.Length > 0)
        {
            _decoder.Convert(bytes, chars, flush: false, out var used, out var produced, out _);
            _text.Append(chars[..produced]);
            bytes = bytes[used..];
        }
    }

    /// <summary>Takes whatever is available in <paramref name="reader"/> without waiting.</summary>
    /// <param name="reader">The console output.</param>
    /// <returns>The number of bytes taken.</returns>
    public long Drain(PipeReader reader)
    {
        long total = 0;
        while (reader.TryRead(out var result))
        {
            total += result.Buffer.Length;
            Append(result.Buffer);
            reader.AdvanceTo(result.Buffer.End);
            if (result.Buffer.IsEmpty || result.IsCompleted)
                break;
        }
        return total;
    }

    /// <summary>True when the text contains <paramref name="value"/> (ordinal).</summary>
    /// <param name="value">The text to look for.</param>
    public bool Contains(string value) => _text.ToString().Contains(value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override string ToString() => _text.ToString();
}
