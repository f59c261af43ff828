"""asyncio streams: the transport already sets TCP_NODELAY and StreamWriter.write
never writes short, so the small writes here cost nothing. Socklint stays quiet."""
import asyncio


async def handle(reader, writer):
    while True:
        line = await reader.readline()
        if not line:
            break
        writer.write(b"> ")
        writer.write(line)
        await writer.drain()
    writer.close()


async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", 8888)
    async with server:
        await server.serve_forever()


asyncio.run(main())
